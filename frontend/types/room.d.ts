// Types for JSDoc in frontend/js, read only by `tsc --noEmit` (nothing here reaches the
// browser). They describe the shapes the room's modules pass around; the fold's own data
// (agenda items, polls, …) stays loosely typed until its modules are checked too.

/** The room's connection as room-link.js reports it. */
export type Connection = "connecting" | "live" | "reconnecting";

/** A document of the meeting, as meeting-state.js keeps it. */
export interface MeetingDocument {
  id: number;
  title: string;
  filename: string;
  pages: number;
  version: number;
  item_id: number | null;
  replaces_id: number | null;
  replaced_by: number | null;
  [field: string]: unknown;
}

/** The presenter's shared view (`presenter.view` and ephemeral `view` data). */
export interface SharedView {
  document_id: number;
  page: number;
  zoom: number;
  region?: unknown;
}

export interface AgendaState {
  items: Record<number, any>;
  children: Record<string, number[]>;
  currentId: number | null;
  [field: string]: any;
}

/** The folded meeting state (meeting-state.js fromSnapshot / applyEvent). */
export interface MeetingState {
  seq: number;
  status: "scheduled" | "live" | "ended" | string;
  roster: Array<{ user_id: number; display_name: string; role: string; [field: string]: any }>;
  agenda: AgendaState;
  documents: Record<number, MeetingDocument>;
  presenting: { presenterId: number | null; view: SharedView | null };
  voting: { polls: Record<number, any>; [field: string]: any };
  [field: string]: any;
}

/** Who this tablet is in the meeting (the join's `you`). */
export interface You {
  user_id: number;
  role: "chair" | "clerk" | "member" | "observer" | string;
  [field: string]: any;
}

/** The room view's model, handed to every widget's update(). */
export interface RoomModel {
  state: MeetingState | null;
  you: You | null;
  presence: Map<number, string[]>;
  connection: Connection;
  /** Keys of commands waiting for their ack. */
  busy: Set<string>;
  busyVersion: number;
  /** Counts full redraws (a language switch): panels drop what they cached. */
  forced: number;
  fatal: string | null;
  [field: string]: any;
}

/** A command's answer from the server. */
export interface Ack {
  ok: boolean;
  error?: { code: string; data?: unknown };
  receipt?: string;
  [field: string]: any;
}

/** room-view.js run(): send a command, `key` marks the waiting button; null while it waits. */
export type RunCommand = (
  type: string,
  data: Record<string, unknown>,
  key: string,
) => Promise<Ack | null>;

/** The part of room-link.js the widgets use. */
export interface CommandLink {
  command(type: string, data?: Record<string, unknown>): Promise<Ack>;
  sendEphemeral(kind: string, data: unknown): void;
}
