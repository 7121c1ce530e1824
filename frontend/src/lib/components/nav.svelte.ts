// Client-side navigation: the server serves index.html for every non-/api path.
export const route = $state({ path: typeof location === 'undefined' ? '/' : location.pathname });

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    route.path = location.pathname;
  });
}

/** Goes to url; with replace, in place of the current history entry. */
export function navigate(url: string, replace = false): void {
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  route.path = location.pathname;
  window.scrollTo(0, 0);
}
