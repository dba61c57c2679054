/**
 * Every route of CONTRACT §7 this server adds, mounted together: rooms and
 * direct messages, members, message deletes, bans and mutes, logout, the
 * admin routes, and (only with `ADMIN_API_KEY` set) the server API. Mount it
 * before the routes whose 405 answers share its paths (`/rooms`,
 * `/rooms/:room/messages/:seq`).
 *
 * @module
 */
import { Hono } from "hono";
import type { TokenService } from "../../auth/tokens.ts";
import type { RoomActions } from "../../chat/room_actions.ts";
import { BotAccounts } from "../../moderation/bot_accounts.ts";
import { MessageModeration } from "../../moderation/message_moderation.ts";
import type { ModerationKit } from "../../moderation/moderation_kit.ts";
import type { Store } from "../../store/store.ts";
import type { AppEnv } from "../env.ts";
import { type AdminAuth, apiKeyChecker } from "../request_auth.ts";
import { adminRoutes } from "./admin.ts";
import { logoutRoutes } from "./logout.ts";
import { messageDeleteRoutes } from "./message_deletes.ts";
import { restrictionRoutes } from "./restrictions.ts";
import { roomAdminRoutes } from "./room_admin.ts";
import { serverApiRoutes } from "./server_api.ts";

/** Dependencies of {@linkcode moderationRoutes}. */
export interface ModerationRoutesDeps {
  readonly kit: ModerationKit;
  readonly tokens: TokenService;
  readonly store: Store;
  /** The message service of users (with the permission table as its policy). */
  readonly actions: RoomActions;
  /** The message service of the server API (a policy that allows everything). */
  readonly serverActions: RoomActions;
  /** `ADMIN_API_KEY`; `undefined` leaves the server API unmounted. */
  readonly adminApiKey: string | undefined;
}

/** The routes of rooms, memberships and moderation. */
export function moderationRoutes(deps: ModerationRoutesDeps): Hono<AppEnv> {
  const { kit, tokens, store } = deps;
  const auth: AdminAuth = {
    tokens,
    apiKey: deps.adminApiKey === undefined ? undefined : apiKeyChecker(deps.adminApiKey),
  };
  const messages = new MessageModeration({
    store,
    access: kit.access,
    actions: deps.actions,
    serverActions: deps.serverActions,
    bots: new BotAccounts(store),
    audit: kit.audit,
  });
  const app = new Hono<AppEnv>()
    .route("/", roomAdminRoutes({ tokens, rooms: kit.rooms }))
    .route("/", restrictionRoutes({ tokens, rooms: kit.rooms }))
    .route("/", messageDeleteRoutes({ tokens, messages }))
    .route("/", logoutRoutes({ tokens, server: kit.server }))
    .route("/", adminRoutes({ auth, server: kit.server, store }));
  if (auth.apiKey) {
    app.route("/", serverApiRoutes({ auth, messages, server: kit.server, store }));
  }
  return app;
}
