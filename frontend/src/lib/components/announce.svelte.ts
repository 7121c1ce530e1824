// One polite live region per page: status changes are announced here, once,
// as a short sentence ("Je bent toegelaten", "Nieuwe top 3: ...").
export const live = $state({ message: '' });

let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(message: string): void {
  clearTimeout(timer);
  live.message = '';
  // Clearing first makes screen readers repeat a message that comes twice.
  timer = setTimeout(() => {
    live.message = message;
  }, 50);
}
