import { memoryStore } from "../../_helpers/server.ts";
import { moderationSuites } from "./moderation_suites.ts";

moderationSuites("KV", (now) => memoryStore("kv", now));
