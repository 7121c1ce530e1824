// The Signs of Safety views, in one lazily loaded module: the phone's own scores
// and sources (PhoneSafety) and that part of the plan (SafetyPlanView). Only a
// meeting of that shape loads it, once; a plain meeting's phone never does.
export { default as PhoneSafety } from './phone/PhoneSafety.svelte';
export { default as SafetyPlanView } from './SafetyPlanView.svelte';
