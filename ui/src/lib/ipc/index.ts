// The UI's only door to the backend: typed commands generated from Rust.
export { commands, COMMAND_NAMES } from "./generated/commands";
export { IpcError, isAppError } from "./call";
export { currentWindowLabel, HOLDER_WINDOW } from "./window";
