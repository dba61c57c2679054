import { memoryStore } from "../../_helpers/server.ts";
import { moderationSuites } from "./moderation_suites.ts";

moderationSuites("SQLite", (now) => memoryStore("sqlite", now));
