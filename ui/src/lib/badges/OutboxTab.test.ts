import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import OutboxTab from "./OutboxTab.svelte";
import { unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";

const FAILED = "0190a0b0-0000-7000-8000-0000000000d1";

function message(status: string, overrides: Record<string, unknown> = {}) {
  return {
    id: FAILED,
    dedupeKey: `request_received:${FAILED}`,
    requestId: null,
    badgeId: null,
    holderId: null,
    recipient: "zoe.dupont@example.org",
    template: "request_received",
    language: "fr",
    subject: "Votre demande de badge est enregistrée",
    body: "Bonjour Zoé,\nvotre demande est enregistrée.",
    status,
    attempts: 5,
    nextAttemptAt: `${dayOffset(-1)}T10:00:00Z`,
    lastError: "550 mailbox unavailable",
    createdBy: "agent1",
    createdAt: `${dayOffset(-1)}T09:00:00Z`,
    sentAt: null,
    updatedAt: `${dayOffset(-1)}T10:00:00Z`,
    ...overrides,
  };
}

describe("OutboxTab", () => {
  it("shows a failed message with its error and queues it again", async () => {
    const queries: unknown[] = [];
    let status = "failed";
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "mail_outbox":
          queries.push((args as { query: unknown }).query);
          return [message(status)];
        case "mail_outbox_counts":
          return [
            { status: "queued", count: status === "queued" ? 1 : 0 },
            { status: "sent", count: 3 },
            { status: "failed", count: status === "failed" ? 1 : 0 },
            { status: "cancelled", count: 0 },
          ];
        case "retry_mail":
          expect((args as { id: string }).id).toBe(FAILED);
          status = "queued";
          return message("queued", { attempts: 5 });
        default:
          return unexpected(cmd);
      }
    });
    render(OutboxTab);
    expect((await screen.findByTestId(`outbox-error-${FAILED}`)).textContent).toBe("550 mailbox unavailable");
    expect(screen.getByTestId("outbox-count-sent").textContent).toBe("3");
    await fireEvent.click(screen.getByTestId(`outbox-retry-${FAILED}`));
    expect(await screen.findByTestId(`outbox-cancel-${FAILED}`)).toBeTruthy();
    expect(screen.getByTestId("outbox-count-queued").textContent).toBe("1");

    await fireEvent.click(screen.getByTestId("outbox-filter-failed"));
    await waitFor(() => expect(queries.at(-1)).toEqual({ statuses: ["failed"], requestId: null, holderId: null, limit: 200 }));
  });
});
