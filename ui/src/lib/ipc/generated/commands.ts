// Generated from the Rust command table (src-tauri/src/commands/mod.rs).
// Do not edit: run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings`.

import { call } from "../call";
import type { AppInfo } from "./AppInfo";
import type { AuditEntry } from "./AuditEntry";
import type { NewRequest } from "./NewRequest";
import type { Policy } from "./Policy";
import type { QueuePage } from "./QueuePage";
import type { QueueQuery } from "./QueueQuery";
import type { RequestDetail } from "./RequestDetail";
import type { StatusCount } from "./StatusCount";
import type { TransitionInput } from "./TransitionInput";

/** Every command the UI may call, with its Rust signature. */
export const commands = {
  appInfo: (): Promise<AppInfo> => call("app_info", {}),
  listRequests: (query: QueueQuery): Promise<QueuePage> => call("list_requests", { query }),
  queueCounts: (): Promise<Array<StatusCount>> => call("queue_counts", {}),
  createRequest: (request: NewRequest): Promise<RequestDetail> => call("create_request", { request }),
  getRequest: (id: string): Promise<RequestDetail> => call("get_request", { id }),
  requestHistory: (id: string): Promise<Array<AuditEntry>> => call("request_history", { id }),
  transitionRequest: (input: TransitionInput): Promise<RequestDetail> => call("transition_request", { input }),
  getPolicy: (): Promise<Policy> => call("get_policy", {}),
};

/** The names the backend registers (checked against the capability file). */
export const COMMAND_NAMES = [
  "app_info",
  "list_requests",
  "queue_counts",
  "create_request",
  "get_request",
  "request_history",
  "transition_request",
  "get_policy",
] as const;
