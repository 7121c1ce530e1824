// The outbox keeps commands until the server answers them, in localStorage, so a
// phone that loses its connection (or is reloaded) resends them with the same id.
import type { Command } from './types';

/** The part of localStorage the outbox uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Makes a command id: letters, digits and '-', unique per device. */
export function newCommandId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return 'c-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Outbox {
  private items: Command[] = [];

  constructor(
    private readonly storage: StorageLike | null,
    private readonly key: string,
    private readonly onChange: (items: Command[]) => void = () => {},
  ) {
    try {
      const raw = storage?.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (Array.isArray(parsed)) this.items = parsed.filter(isCommand);
    } catch {
      this.items = [];
    }
  }

  /** Commands not yet answered, oldest first. */
  pending(): Command[] {
    return this.items.slice();
  }

  /**
   * Adds a command. With supersede, an earlier unanswered command of the same
   * name is dropped: only the last one matters (a whole ranking, say).
   */
  add(name: string, data: Record<string, unknown>, opts: { supersede?: boolean } = {}): Command {
    const cmd: Command = { type: 'command', id: newCommandId(), name, data };
    if (opts.supersede) this.items = this.items.filter((c) => c.name !== name);
    this.items.push(cmd);
    this.save();
    return cmd;
  }

  /** The server accepted the command: forget it. */
  ack(id: string): Command | undefined {
    return this.remove(id);
  }

  /** The server refused the command: forget it (resending would not help) and return it to show why. */
  fail(id: string): Command | undefined {
    return this.remove(id);
  }

  private remove(id: string): Command | undefined {
    const cmd = this.items.find((c) => c.id === id);
    if (!cmd) return undefined;
    this.items = this.items.filter((c) => c.id !== id);
    this.save();
    return cmd;
  }

  private save(): void {
    try {
      if (this.items.length === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(this.items));
    } catch {
      // Storage full or blocked: the commands still live in memory.
    }
    this.onChange(this.pending());
  }
}

function isCommand(x: unknown): x is Command {
  const c = x as Command;
  return !!c && c.type === 'command' && typeof c.id === 'string' && typeof c.name === 'string';
}
