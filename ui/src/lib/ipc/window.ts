// Which window this page runs in: the desk's main window, or the holder's view
// opened on a second monitor. Reading the label makes no IPC call.
import { getCurrentWindow } from "@tauri-apps/api/window";

export const HOLDER_WINDOW = "holder";

export function currentWindowLabel(): string {
  try {
    return getCurrentWindow().label;
  } catch {
    // Outside Tauri (unit tests, a plain browser): the desk's window.
    return "main";
  }
}
