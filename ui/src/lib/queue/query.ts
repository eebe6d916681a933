// Building queue queries: the backend's QueueQuery with every field explicit.
import type { QueueQuery } from "../ipc/generated/QueueQuery";
import type { QueueSortField } from "../ipc/generated/QueueSortField";
import type { RequestKind } from "../ipc/generated/RequestKind";
import type { RequestStatus } from "../ipc/generated/RequestStatus";
import type { SortDirection } from "../ipc/generated/SortDirection";
import { optional } from "../forms/text";

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

export const ALL_KINDS: readonly RequestKind[] = [
  "new_badge",
  "renewal",
  "replacement",
  "transfer",
  "zone_access",
  "day_pass",
];

/** What the queue screen filters on (empty values mean "any"). */
export interface QueueFilters {
  statuses: RequestStatus[];
  search: string;
  kind: RequestKind | "";
  category: string;
  zone: string;
  /** ISO date: badges expiring on or before this day. */
  expiringBefore: string;
}

export interface QueueSort {
  field: QueueSortField;
  direction: SortDirection;
}

export function emptyFilters(): QueueFilters {
  return { statuses: [], search: "", kind: "", category: "", zone: "", expiringBefore: "" };
}

export const DEFAULT_SORT: QueueSort = { field: "submitted", direction: "desc" };

export function queueQuery(options: {
  statuses?: RequestStatus[];
  search?: string;
  cursor?: string | null;
  /** The position of the page's first row: a jump there (ignored with a cursor). */
  start?: number | null;
  filters?: Partial<QueueFilters>;
  sort?: QueueSort;
  limit?: number;
}): QueueQuery {
  const filters = { ...emptyFilters(), ...options.filters };
  const sort = options.sort ?? DEFAULT_SORT;
  return {
    statuses: options.statuses ?? filters.statuses,
    kinds: filters.kind ? [filters.kind] : [],
    categories: filters.category ? [filters.category] : [],
    zone: optional(filters.zone),
    search: optional(options.search ?? filters.search),
    submittedFrom: null,
    submittedUntil: null,
    missionEndBefore: null,
    badgeExpiringBefore: optional(filters.expiringBefore),
    holderId: null,
    sort: sort.field,
    direction: sort.direction,
    limit: options.limit ?? PAGE_SIZE,
    cursor: options.cursor ?? null,
    start: options.start ?? null,
  };
}

/** The next sort after a click on a column header: same column flips, another starts ascending. */
export function nextSort(current: QueueSort, field: QueueSortField): QueueSort {
  if (current.field === field) {
    return { field, direction: current.direction === "asc" ? "desc" : "asc" };
  }
  return { field, direction: field === "submitted" ? "desc" : "asc" };
}
