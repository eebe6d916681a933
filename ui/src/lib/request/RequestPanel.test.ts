import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import RequestPanel from "./RequestPanel.svelte";
import { dayOffset } from "../time/testing";

const REQUEST = "0190a0b0-0000-7000-8000-000000000001";
const JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==";

function attachment(id: string, kind: string, replacedAt: string | null = null) {
  return {
    id, requestId: REQUEST, kind, mediaType: "jpeg", byteSize: 40_960, createdBy: "bob",
    createdAt: `${dayOffset(-5)}T10:00:00Z`, replacedAt,
  };
}

/** A renewal with its badge photo, one photo it replaced, and the front of an ID document. */
function renewal() {
  return {
    request: {
      id: REQUEST, holderId: "h1", status: "draft", version: 4, imageRightsConsent: null, photoCertified: null,
      statusReason: null, submitted: { by: "bob", at: `${dayOffset(-5)}T10:00:00Z` }, reviewed: null, printed: null,
      dispatched: null, dispatchMethod: null, activated: null, printClaim: null, updatedAt: `${dayOffset(-1)}T10:00:00Z`,
      kind: "renewal", zones: [], services: [], wantedFrom: null, wantedUntil: null,
      previousBadgeId: "0190a0b0-0000-7000-8000-0000000000bb", replacementCause: null, notes: null,
    },
    holder: {
      id: "h1", version: 1, createdAt: `${dayOffset(-400)}T10:00:00Z`, updatedAt: `${dayOffset(-5)}T10:00:00Z`,
      familyName: "Dupont", givenNames: "Zoé", email: null, phone: null, organisation: null, unit: null,
      category: "staff", externalId: "A1234", presenceDaysPerWeek: 5, missionStart: null, missionEnd: null,
    },
    attachments: [
      attachment("att-photo", "photo"),
      attachment("att-previous", "previous_photo", `${dayOffset(-1)}T10:00:00Z`),
      attachment("att-front", "id_document_front"),
    ],
    badge: null,
    missing: [],
    eligibility: { eligible: true, problems: [], validUntil: null },
    allowedActions: [],
  };
}

describe("RequestPanel", () => {
  it("keeps replaced photos out of the documents and offers them beside the badge photo", async () => {
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      switch (cmd) {
        case "get_request":
          return renewal();
        case "request_history":
          return [];
        case "get_request_photo":
          return null;
        case "get_attachment_content":
          return { meta: attachment((args as { id: string }).id, "previous_photo"), data: JPEG };
        case "camera_list":
          return [];
        case "check_photo_bytes":
          return {
            report: { verdict: "accepted", checks: [], face: { x: 1, y: 1, width: 10, height: 10 }, faces: [], imageWidth: 100,
              imageHeight: 100, crop: null, landmarks: null, eyesOpen: true, fixFirst: null, qualityScore: 90 },
            croppedJpegBase64: JPEG,
            edits: { outputWidth: 413, outputHeight: 531 },
            originalPreviewJpegBase64: JPEG,
          };
        case "compare_with_previous_photo":
          return null;
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
    render(RequestPanel, { id: REQUEST, onclose: () => {}, onchanged: () => {} });

    const previous = await screen.findByTestId("request-previous-photos");
    expect(previous.querySelectorAll("[data-testid=previous-photo]")).toHaveLength(1);
    // The documents are the ID scans only: the front is attached, the back is not.
    expect(screen.getByTestId("detail-doc-front-state").textContent).toContain("JPEG");
    expect(screen.getByTestId("detail-doc-back").textContent).not.toContain("Joint");

    // A renewal: the photo station compares the new photo with the previous badge's.
    await fireEvent.click(screen.getByTestId("open-photo-station"));
    const file = new File([new Uint8Array([0xff, 0xd8])], "new.jpg", { type: "image/jpeg" });
    await fireEvent.change(await screen.findByTestId("photo-file"), { target: { files: [file] } });
    await waitFor(() => expect(calls).toContain("compare_with_previous_photo"));
    expect(await screen.findByTestId("photo-previous-none")).toBeTruthy();
  });
});
