// Entry: picks the surface by path and loads only its code, so a phone never
// downloads the coordinator console or the shared screen.
import { mount, type Component } from 'svelte';
import { applyToDocument } from './lib/i18n/i18n.svelte';
import './app.css';

function load(path: string): Promise<{ default: Component }> {
  if (path === '/join' || path.startsWith('/join/') || path.startsWith('/m/')) {
    return import('./lib/components/phone/PhoneApp.svelte');
  }
  if (path.startsWith('/screen/')) return import('./lib/components/screen/ScreenApp.svelte');
  return import('./lib/components/console/ConsoleApp.svelte');
}

applyToDocument();
const target = document.getElementById('app');
if (target) {
  void load(location.pathname).then((m) => mount(m.default, { target }));
}
