import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import RequestPhotoCard from "./RequestPhotoCard.svelte";
import { formatDateTime } from "../i18n/index.svelte";
import { dayOffset } from "../time/testing";
import type { AttachmentKind } from "../ipc/generated/AttachmentKind";
import type { AttachmentMeta } from "../ipc/generated/AttachmentMeta";

const REQUEST = "0190a0b0-0000-7000-8000-000000000001";

function attachment(id: string, kind: AttachmentKind, createdAt: string, replacedAt: string | null): AttachmentMeta {
  return { id, requestId: REQUEST, kind, mediaType: "jpeg", byteSize: 40_000, createdBy: "bob", createdAt, replacedAt };
}

/** Two photos replaced by newer ones: three days ago, and a month ago. */
const RECENT = attachment("att-recent", "previous_photo", `${dayOffset(-10)}T08:00:00Z`, `${dayOffset(-3)}T09:30:00Z`);
const OLD = attachment("att-old", "previous_photo", `${dayOffset(-60)}T08:00:00Z`, `${dayOffset(-30)}T14:00:00Z`);
const CURRENT = attachment("att-current", "photo", `${dayOffset(-3)}T09:30:00Z`, null);

function currentPhoto() {
  return {
    attachment: CURRENT,
    jpegBase64: "/9j/current",
    report: { verdict: "accepted", checks: [], face: null, faces: [], imageWidth: 413, imageHeight: 531, crop: null,
      landmarks: null, eyesOpen: null, fixFirst: null, qualityScore: null },
    edits: null,
  };
}

describe("RequestPhotoCard", () => {
  it("shows the previous photos, newest first, and restores one on the version shown", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    const restoredDetail = { request: { id: REQUEST, version: 8 }, attachments: [] };
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      switch (cmd) {
        case "get_request_photo":
          return currentPhoto();
        case "get_attachment_content": {
          const id = (args as { id: string }).id;
          const meta = id === OLD.id ? OLD : RECENT;
          return { meta, data: `/9j/${id}` };
        }
        case "restore_request_photo":
          return restoredDetail;
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
    const onsaved = vi.fn();
    render(RequestPhotoCard, { requestId: REQUEST, previous: [OLD, RECENT], version: 7, onsaved });

    const section = await screen.findByTestId("request-previous-photos");
    expect(section.textContent).toContain("Photos précédentes (2)");
    const items = screen.getAllByTestId("previous-photo");
    expect(items.map((item) => item.dataset.id)).toEqual([RECENT.id, OLD.id]);
    expect(items[0].textContent).toContain(`Remplacée le ${formatDateTime(RECENT.replacedAt)}`);
    await waitFor(() => expect(screen.getAllByTestId("previous-photo-image")).toHaveLength(2));
    const thumbnails = screen.getAllByTestId("previous-photo-image") as HTMLImageElement[];
    expect(thumbnails[1].getAttribute("src")).toBe("data:image/jpeg;base64,/9j/att-old");

    const photoLoads = calls.filter((c) => c.cmd === "get_request_photo").length;
    const restore = items[1].querySelector("[data-testid=previous-photo-restore]") as HTMLButtonElement;
    expect(restore.getAttribute("aria-label")).toContain(formatDateTime(OLD.replacedAt));
    await fireEvent.click(restore);
    expect(await screen.findByTestId("previous-photo-restored")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "restore_request_photo")?.args).toEqual({
      input: { requestId: REQUEST, attachmentId: OLD.id, expectedVersion: 7 },
    });
    expect(onsaved).toHaveBeenCalledWith(restoredDetail);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "get_request_photo").length).toBe(photoLoads + 1));
  });

  it("shows a refused restore by its code and keeps the photo", async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case "get_request_photo":
          return currentPhoto();
        case "get_attachment_content":
          return { meta: RECENT, data: "/9j/x" };
        case "restore_request_photo":
          throw { code: "store.version_conflict", message: "request changed meanwhile" };
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
    const onsaved = vi.fn();
    render(RequestPhotoCard, { requestId: REQUEST, previous: [RECENT], version: 3, onsaved });
    await fireEvent.click(await screen.findByTestId("previous-photo-restore"));
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("store.version_conflict");
    expect(onsaved).not.toHaveBeenCalled();
    expect(screen.getByTestId("request-photo-image")).toBeTruthy();
  });

  it("lists nothing when no photo was replaced", async () => {
    mockIPC((cmd) => {
      if (cmd === "get_request_photo") return null;
      throw { code: "test.unexpected", message: cmd };
    });
    render(RequestPhotoCard, { requestId: REQUEST, onsaved: () => {} });
    await screen.findByTestId("request-photo-none");
    expect(screen.queryByTestId("request-previous-photos")).toBeNull();
  });
});
