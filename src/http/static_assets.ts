/**
 * Every file the server serves besides the API: the page, its script and
 * style, the client module and the contract, each `.js` with its `.d.ts`.
 * They are embedded in the module graph as text imports, so the bundle and
 * the compiled binary serve them with no file beside them.
 *
 * The page's, the client's and the contract's modules import each other by
 * relative URLs that name their folder (`../web/x.js`, `../client/x.js`,
 * `../contract/mod.js`): each resolves to the same path here whether the
 * importer is served at the root (`/app.js`, `/client.js`) or in its folder.
 *
 * @module
 */
import clientChatClientDts from "../client/chat_client.d.ts" with { type: "text" };
import clientChatClientJs from "../client/chat_client.js" with { type: "text" };
import clientClosePolicyDts from "../client/close_policy.d.ts" with { type: "text" };
import clientClosePolicyJs from "../client/close_policy.js" with { type: "text" };
import clientErrorsDts from "../client/errors.d.ts" with { type: "text" };
import clientErrorsJs from "../client/errors.js" with { type: "text" };
import clientEventRouterDts from "../client/event_router.d.ts" with { type: "text" };
import clientEventRouterJs from "../client/event_router.js" with { type: "text" };
import clientListenersDts from "../client/listeners.d.ts" with { type: "text" };
import clientListenersJs from "../client/listeners.js" with { type: "text" };
import clientModerationClientDts from "../client/moderation_client.d.ts" with { type: "text" };
import clientModerationClientJs from "../client/moderation_client.js" with { type: "text" };
import clientPendingRepliesDts from "../client/pending_replies.d.ts" with { type: "text" };
import clientPendingRepliesJs from "../client/pending_replies.js" with { type: "text" };
import clientReadyGateDts from "../client/ready_gate.d.ts" with { type: "text" };
import clientReadyGateJs from "../client/ready_gate.js" with { type: "text" };
import clientRecoveryDts from "../client/recovery.d.ts" with { type: "text" };
import clientRecoveryJs from "../client/recovery.js" with { type: "text" };
import clientRequestDts from "../client/request.d.ts" with { type: "text" };
import clientRequestJs from "../client/request.js" with { type: "text" };
import clientRestClientDts from "../client/rest_client.d.ts" with { type: "text" };
import clientRestClientJs from "../client/rest_client.js" with { type: "text" };
import clientRoomConnectionDts from "../client/room_connection.d.ts" with { type: "text" };
import clientRoomConnectionJs from "../client/room_connection.js" with { type: "text" };
import clientServerEventsDts from "../client/server_events.d.ts" with { type: "text" };
import clientServerEventsJs from "../client/server_events.js" with { type: "text" };
import clientTextProblemDts from "../client/text_problem.d.ts" with { type: "text" };
import clientTextProblemJs from "../client/text_problem.js" with { type: "text" };
import clientThrottleDts from "../client/throttle.d.ts" with { type: "text" };
import clientThrottleJs from "../client/throttle.js" with { type: "text" };
import clientTokenExpiryDts from "../client/token_expiry.d.ts" with { type: "text" };
import clientTokenExpiryJs from "../client/token_expiry.js" with { type: "text" };
import clientTokenRefresherDts from "../client/token_refresher.d.ts" with { type: "text" };
import clientTokenRefresherJs from "../client/token_refresher.js" with { type: "text" };
import clientTypesDts from "../client/types.d.ts" with { type: "text" };
import clientTypesJs from "../client/types.js" with { type: "text" };
import clientWireDts from "../client/wire.d.ts" with { type: "text" };
import clientWireJs from "../client/wire.js" with { type: "text" };
import contractCloseCodesDts from "../contract/close_codes.d.ts" with { type: "text" };
import contractCloseCodesJs from "../contract/close_codes.js" with { type: "text" };
import contractErrorTypesDts from "../contract/error_types.d.ts" with { type: "text" };
import contractErrorTypesJs from "../contract/error_types.js" with { type: "text" };
import contractEventsDts from "../contract/events.d.ts" with { type: "text" };
import contractEventsJs from "../contract/events.js" with { type: "text" };
import contractLimitsDts from "../contract/limits.d.ts" with { type: "text" };
import contractLimitsJs from "../contract/limits.js" with { type: "text" };
import contractMessageTextDts from "../contract/message_text.d.ts" with { type: "text" };
import contractMessageTextJs from "../contract/message_text.js" with { type: "text" };
import contractMessagesDts from "../contract/messages.d.ts" with { type: "text" };
import contractMessagesJs from "../contract/messages.js" with { type: "text" };
import contractModDts from "../contract/mod.d.ts" with { type: "text" };
import contractModJs from "../contract/mod.js" with { type: "text" };
import contractRoomNameDts from "../contract/room_name.d.ts" with { type: "text" };
import contractRoomNameJs from "../contract/room_name.js" with { type: "text" };
import appJs from "../web/app.js" with { type: "text" };
import webAccountJs from "../web/account.js" with { type: "text" };
import webComposerJs from "../web/composer.js" with { type: "text" };
import webDescribeJs from "../web/describe.js" with { type: "text" };
import webElementsJs from "../web/elements.js" with { type: "text" };
import webMemberMenuJs from "../web/member_menu.js" with { type: "text" };
import webMessageActionsJs from "../web/message_actions.js" with { type: "text" };
import webMessageItemsJs from "../web/message_items.js" with { type: "text" };
import webMessageLogJs from "../web/message_log.js" with { type: "text" };
import webOlderHistoryJs from "../web/older_history.js" with { type: "text" };
import webOnlineListJs from "../web/online_list.js" with { type: "text" };
import webRoomFormsJs from "../web/room_forms.js" with { type: "text" };
import webRoomListJs from "../web/room_list.js" with { type: "text" };
import webSavedLoginJs from "../web/saved_login.js" with { type: "text" };
import webTypingIndicatorJs from "../web/typing_indicator.js" with { type: "text" };
import indexHtml from "../web/index.html" with { type: "text" };
import styleCss from "../web/style.css" with { type: "text" };

/** One embedded asset. */
export interface Asset {
  readonly body: string;
  readonly type: string;
  /** May other origins load it (the client module may be imported from anywhere)? */
  readonly shared?: boolean;
  /** The URL of its declarations, sent as `X-TypeScript-Types` so Deno importers get types. */
  readonly types?: string;
}

/** The content type of the page. */
export const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const TS = "application/typescript; charset=utf-8";

/** A module at `path.js` and its declarations at `path.d.ts`, both importable from anywhere. */
function withTypes(path: string, js: string, dts: string): Array<[string, Asset]> {
  return [
    [`${path}.js`, { body: js, type: JS, shared: true, types: `${path}.d.ts` }],
    [`${path}.d.ts`, { body: dts, type: TS, shared: true }],
  ];
}

/** Every asset by path. `/client.js` is the client module's short address. */
export const ASSETS: Readonly<Record<string, Asset>> = Object.fromEntries([
  ["/", { body: indexHtml, type: HTML }],
  ["/index.html", { body: indexHtml, type: HTML }],
  ["/app.js", { body: appJs, type: JS }],
  ["/web/account.js", { body: webAccountJs, type: JS }],
  ["/web/composer.js", { body: webComposerJs, type: JS }],
  ["/web/describe.js", { body: webDescribeJs, type: JS }],
  ["/web/elements.js", { body: webElementsJs, type: JS }],
  ["/web/member_menu.js", { body: webMemberMenuJs, type: JS }],
  ["/web/message_actions.js", { body: webMessageActionsJs, type: JS }],
  ["/web/message_items.js", { body: webMessageItemsJs, type: JS }],
  ["/web/message_log.js", { body: webMessageLogJs, type: JS }],
  ["/web/older_history.js", { body: webOlderHistoryJs, type: JS }],
  ["/web/online_list.js", { body: webOnlineListJs, type: JS }],
  ["/web/room_forms.js", { body: webRoomFormsJs, type: JS }],
  ["/web/room_list.js", { body: webRoomListJs, type: JS }],
  ["/web/saved_login.js", { body: webSavedLoginJs, type: JS }],
  ["/web/typing_indicator.js", { body: webTypingIndicatorJs, type: JS }],
  ["/style.css", { body: styleCss, type: CSS }],
  ...withTypes("/client", clientChatClientJs, clientChatClientDts),
  ...withTypes("/client/chat_client", clientChatClientJs, clientChatClientDts),
  ...withTypes("/client/close_policy", clientClosePolicyJs, clientClosePolicyDts),
  ...withTypes("/client/errors", clientErrorsJs, clientErrorsDts),
  ...withTypes("/client/event_router", clientEventRouterJs, clientEventRouterDts),
  ...withTypes("/client/listeners", clientListenersJs, clientListenersDts),
  ...withTypes("/client/moderation_client", clientModerationClientJs, clientModerationClientDts),
  ...withTypes("/client/pending_replies", clientPendingRepliesJs, clientPendingRepliesDts),
  ...withTypes("/client/ready_gate", clientReadyGateJs, clientReadyGateDts),
  ...withTypes("/client/recovery", clientRecoveryJs, clientRecoveryDts),
  ...withTypes("/client/request", clientRequestJs, clientRequestDts),
  ...withTypes("/client/rest_client", clientRestClientJs, clientRestClientDts),
  ...withTypes("/client/room_connection", clientRoomConnectionJs, clientRoomConnectionDts),
  ...withTypes("/client/server_events", clientServerEventsJs, clientServerEventsDts),
  ...withTypes("/client/text_problem", clientTextProblemJs, clientTextProblemDts),
  ...withTypes("/client/throttle", clientThrottleJs, clientThrottleDts),
  ...withTypes("/client/token_expiry", clientTokenExpiryJs, clientTokenExpiryDts),
  ...withTypes("/client/token_refresher", clientTokenRefresherJs, clientTokenRefresherDts),
  ...withTypes("/client/types", clientTypesJs, clientTypesDts),
  ...withTypes("/client/wire", clientWireJs, clientWireDts),
  ...withTypes("/contract/close_codes", contractCloseCodesJs, contractCloseCodesDts),
  ...withTypes("/contract/error_types", contractErrorTypesJs, contractErrorTypesDts),
  ...withTypes("/contract/events", contractEventsJs, contractEventsDts),
  ...withTypes("/contract/limits", contractLimitsJs, contractLimitsDts),
  ...withTypes("/contract/message_text", contractMessageTextJs, contractMessageTextDts),
  ...withTypes("/contract/messages", contractMessagesJs, contractMessagesDts),
  ...withTypes("/contract/mod", contractModJs, contractModDts),
  ...withTypes("/contract/room_name", contractRoomNameJs, contractRoomNameDts),
]);
