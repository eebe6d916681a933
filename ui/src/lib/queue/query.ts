// Building queue queries: the backend's QueueQuery with every field explicit.
import type { QueueQuery } from "../ipc/generated/QueueQuery";
import type { RequestStatus } from "../ipc/generated/RequestStatus";

export const PAGE_SIZE = 50;

export const ALL_STATUSES: readonly RequestStatus[] = [
  "submitted",
  "incomplete",
  "awaiting_photo",
  "ready_for_review",
  "approved",
  "refused",
  "printed",
  "dispatched",
  "activated",
  "cancelled",
];

export function queueQuery(options: {
  statuses?: RequestStatus[];
  search?: string;
  cursor?: string | null;
}): QueueQuery {
  const search = options.search?.trim() ?? "";
  return {
    statuses: options.statuses ?? [],
    kinds: [],
    categories: [],
    zone: null,
    search: search === "" ? null : search,
    submittedFrom: null,
    submittedUntil: null,
    missionEndBefore: null,
    badgeExpiringBefore: null,
    holderId: null,
    sort: "submitted",
    direction: "desc",
    limit: PAGE_SIZE,
    cursor: options.cursor ?? null,
  };
}
