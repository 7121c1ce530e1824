// Entry of the phone (phone.html): the join page, the meeting view and the phone's
// pages of their own (PhoneApp picks by path). It has a build of its own
// (vite.config.ts, mode "phone"), so it carries only the Svelte runtime the phone
// uses. It loads the family texts of the chosen language only.
import { mount } from 'svelte';
import { setLocale, storedLocale } from './lib/i18n/i18n.svelte';
import PhoneApp from './lib/components/phone/PhoneApp.svelte';
import './app.css';

const target = document.getElementById('app');
if (target) void setLocale(storedLocale(), false).then(() => mount(PhoneApp, { target }));
