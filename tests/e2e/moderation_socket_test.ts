import { memoryStore } from "../_helpers/server.ts";
import { moderationSocketSuite } from "./moderation_socket_suite.ts";

moderationSocketSuite("SQLite sockets", () => memoryStore("sqlite"));
moderationSocketSuite("KV sockets", () => memoryStore("kv"));
