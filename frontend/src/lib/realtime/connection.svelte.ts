// The realtime connection of one device to one meeting: it says hello with the
// last seq it saw, applies what the server sends, keeps unanswered commands in
// the outbox and resends them (same id) after reconnecting with backoff.
import { initialState, reduce, type RealtimeState } from './reducer';
import { Outbox, type StorageLike } from './outbox';
import type { Command, ServerMessage } from './types';
import type { ServerError } from '../i18n/errors';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'removed' | 'denied';

/** A refused command, kept to show the person why. */
export interface CommandError {
  id: string;
  name: string;
  code: string;
  /** Which sentence explains it; message is the server's English, for developers. */
  reason?: string;
  params?: Record<string, unknown>;
  message: string;
}

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export interface ConnectionOptions {
  meetingId: string;
  /** Participant token, for clients without the participant cookie; browsers leave it out. */
  token?: string;
  /** 'participant': a phone, known by the meeting's participant cookie. */
  view?: 'screen' | 'participant';
  url?: string;
  storage?: StorageLike | null;
  makeSocket?: (url: string) => SocketLike;
  /** How long a sent command may wait for its answer before the socket is assumed dead. */
  ackTimeoutMs?: number;
}

const OPEN = 1;
/** Close code the server uses when a participant was removed. */
export const CLOSE_REMOVED = 4003;
/** Close code for a refused hello (unknown token, expired session); the reason is the error code. */
export const CLOSE_REJECTED = 4001;

/**
 * Error codes that mean "retry" (docs/protocol.md, "Retry or stop"): a command
 * refused with one stays in the outbox. Every other code means this command,
 * as it is, will never be accepted.
 */
export const RETRY_CODES = new Set(['internal']);

/** Delay before reconnect attempt n (0-based): 0.5 s doubling to 15 s, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15000, 500 * 2 ** attempt);
  return Math.round(base * (0.5 + random() * 0.5));
}

export function defaultSocketURL(meetingId: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/meetings/${encodeURIComponent(meetingId)}/ws`;
}

export class Connection {
  state = $state.raw<RealtimeState>(initialState);
  status = $state<ConnectionStatus>('connecting');
  pending = $state.raw<Command[]>([]);
  errors = $state.raw<CommandError[]>([]);
  /** A frame-level error without command id (a bad token, say). */
  /** Why the server refused this connection, or null. */
  fatal = $state<ServerError | null>(null);

  private readonly outbox: Outbox;
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private welcomed = false;
  private readonly onOnline = () => this.reconnectNow();
  private readonly onOffline = () => this.dropSocket('offline');

  constructor(private readonly opts: ConnectionOptions) {
    const who = opts.token ? 'participant' : (opts.view ?? 'coordinator');
    this.outbox = new Outbox(opts.storage ?? null, `tafel.outbox.${opts.meetingId}.${who}`, (items) => {
      this.pending = items;
    });
    this.pending = this.outbox.pending();
  }

  get meeting() {
    return this.state.meeting;
  }

  start(): void {
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.ackTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    const s = this.socket;
    this.socket = null;
    s?.close(1000);
  }

  /** Queues a command and sends it when connected. Returns its id. */
  send(name: string, data: Record<string, unknown> = {}, opts: { supersede?: boolean } = {}): string {
    const cmd = this.outbox.add(name, data, opts);
    if (this.welcomed && this.socket?.readyState === OPEN) this.transmit(cmd);
    return cmd.id;
  }

  dismissError(id: string): void {
    this.errors = this.errors.filter((e) => e.id !== id);
  }

  private connect(): void {
    if (this.stopped) return;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.status = 'offline';
      return;
    }
    this.status = 'connecting';
    this.welcomed = false;
    const url = this.opts.url ?? defaultSocketURL(this.opts.meetingId);
    const make = this.opts.makeSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    let s: SocketLike;
    try {
      s = make(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = s;
    s.onopen = () => {
      const hello: Record<string, unknown> = { type: 'hello', lastSeq: this.state.seq };
      if (this.opts.token) hello.token = this.opts.token;
      if (this.opts.view) hello.view = this.opts.view;
      s.send(JSON.stringify(hello));
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      this.handle(msg);
    };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = null;
      this.welcomed = false;
      clearTimeout(this.ackTimer);
      if (ev.code === CLOSE_REMOVED) {
        this.status = 'removed';
        this.stopped = true;
        return;
      }
      if (ev.code === CLOSE_REJECTED && ev.reason !== 'internal') {
        this.status = 'denied';
        this.stopped = true;
        return;
      }
      if (this.status === 'denied') return;
      this.scheduleRetry();
    };
    s.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }

  private handle(msg: ServerMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.state = reduce(this.state, msg);
        this.welcomed = true;
        this.attempt = 0;
        this.status = 'online';
        this.fatal = null;
        for (const cmd of this.outbox.pending()) this.transmit(cmd);
        return;
      case 'ack':
        this.outbox.ack(msg.id);
        if (this.outbox.pending().length === 0) clearTimeout(this.ackTimer);
        return;
      case 'error': {
        if (!msg.id) {
          this.fatal = msg;
          if (msg.code === 'forbidden' || msg.code === 'not_found') {
            this.status = 'denied';
            this.stopped = true;
          }
          return;
        }
        if (RETRY_CODES.has(msg.code)) {
          // Nothing changed and the server said "retry": the command stays in
          // the outbox and is resent, same id, after reconnecting with backoff.
          this.dropSocket('connecting');
          return;
        }
        const cmd = this.outbox.fail(msg.id);
        if (cmd) {
          // The server's error (code, reason, params, message) with the command's name.
          const { type: _frame, ...error } = msg;
          const e: CommandError = { ...error, id: msg.id, name: cmd.name };
          this.errors = [...this.errors, e];
        }
        return;
      }
      default:
        this.state = reduce(this.state, msg);
    }
  }

  private transmit(cmd: Command): void {
    try {
      this.socket?.send(JSON.stringify(cmd));
    } catch {
      return;
    }
    // A command left unanswered means the socket is dead without knowing it: reconnect.
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      if (this.outbox.pending().length > 0) this.dropSocket('connecting');
    }, this.opts.ackTimeoutMs ?? 10000);
  }

  private dropSocket(status: ConnectionStatus): void {
    const s = this.socket;
    this.socket = null;
    this.welcomed = false;
    clearTimeout(this.ackTimer);
    s?.close(4000, 'client reconnect');
    if (this.stopped) return;
    this.status = status;
    if (status === 'offline') {
      clearTimeout(this.retryTimer);
      return;
    }
    this.scheduleRetry();
  }

  private reconnectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.socket) this.connect();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.status = typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'connecting';
    clearTimeout(this.retryTimer);
    const delay = backoffMs(this.attempt++);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
