// Which texts a family can see: the join page, the phone in every phase, the
// family's copy of the plan, the accessibility statement, and the errors a phone
// can meet. Every language has these (catalogue.test.ts); the console's texts are
// Dutch and English only. The build gives the phone a catalogue with only these
// keys (vite.config.ts), so a phone never downloads the console's words.

/** Key prefixes of family texts. */
export const FAMILY_PREFIXES = [
  'app.', 'lang.', 'action.', 'error.', 'conn.', 'announce.', 'phase.', 'kind.', 'status.', 'domain.', 'outcome.',
  'items.', 'itemKind.', 'join.', 'phone.', 'plan.', 'rank.', 'ranking.', 'review.', 'changes.', 'table.', 'top3.',
  'a11y.', 'err.code.', 'safety.condition.', 'safety.held.', 'safety.myNote.', 'heard.', 'childPage.',
];

/** Error reasons a phone can meet (the others come from the console's own actions). */
export const FAMILY_ERRORS = [
  'meeting_locked', 'unknown_party', 'party_required', 'too_many_items', 'not_admitted', 'meeting_closed', 'invalid_utf8',
  'own_party_only', 'unknown_item', 'own_items_only', 'item_withdrawn', 'item_merged', 'wrong_phase',
  'text_invalid_utf8', 'text_control_chars', 'text_too_long', 'text_required', 'unknown_worry', 'worry_withdrawn',
  'worry_merged', 'at_most_three', 'distinct_worries', 'too_many_dissents', 'family_only', 'top3_not_confirmed',
  'not_allowed', 'invalid_data', 'unknown_code', 'unknown_meeting', 'meeting_erased', 'join_first',
  'unknown_token', 'removed', 'slow_down', 'message_too_large', 'invalid_json', 'invalid_id', 'unknown_frame',
  'unknown_command', 'cross_site', 'unknown_domain', 'continues_worries_only', 'unknown_previous_worry', 'sign_in_or_join',
  'ranking_closed', 'not_your_turn', 'familytime_off', 'family_list_only', 'spokesperson_ends',
  'interpreter_translates',
].map((r) => `err.${r}`);

/** Errors a phone meets only in a Signs of Safety meeting: its own score, a protected source, its own notes. */
export const SAFETY_ERRORS = [
  'err.score_range', 'err.unknown_scale', 'err.worry_revealed', 'err.source_professional_only', 'err.no_source',
  'err.code.wrong_shape', 'err.code.wording_unchecked', 'err.code.condition_open',
  'err.condition_reason_required', 'err.condition_owner_only', 'err.too_many_conditions', 'err.too_many_notes',
];

/** Errors only a child's own page meets (a child code, the three houses). */
export const CHILD_ERRORS = ['err.child_code_revoked', 'err.child_code_expired', 'err.child_voice_brought', 'err.houses_empty'];

/** Family texts outside the prefixes: the speaking round and family time as a phone shows them. */
export const FAMILY_KEYS = [
  'round.atTurn', 'round.nextUp', 'round.lastTurn', 'round.timeLeft', 'round.pass',
  'familytime.title', 'familytime.intro', 'familytime.newItem', 'familytime.add', 'familytime.bring', 'familytime.end',
  'familytime.pauseTitle', 'familytime.pauseBody',
  // Signs of Safety as a phone shows it: the plan, the child's voice, the party's own
  // scores, a professional's protected source, and the regisseur's contact.
  'safety.worried', 'safety.happened', 'safety.mayHappen', 'safety.disagreement', 'safety.safetyGoal',
  'safety.tenMeans', 'safety.zeroMeans', 'safety.existing', 'safety.complicating', 'safety.plan', 'safety.doer',
  'safety.checker', 'safety.watchers', 'safety.planB', 'safety.conditions', 'safety.childVoice', 'safety.broughtBy',
  'safety.houseWorries', 'safety.houseGoesWell', 'safety.houseWishes', 'safety.contact', 'safety.sourceTitle',
  'safety.sourceHelp', 'safety.sourceFor', 'safety.wordingChecked', 'safety.checkWording', 'safety.yourScores',
  'safety.noScore', 'safety.changesScores', 'safety.changesScore', 'safety.changesAgreements', 'safety.notReviewed',
  'safety.carried',
];

/**
 * Console and screen texts that share a family prefix. A phone never shows them,
 * so they stay out of its catalogue and need no translation beyond Dutch and English.
 */
export const CONSOLE_ONLY = [
  'rank.openTitle', 'rank.resultTitle', 'rank.progress', 'rank.secretNote', 'rank.close', 'rank.optionsTitle',
  'rank.optSingleTop3', 'rank.optPersonTop3', 'top3.perPerson', 'plan.closeEmptyGoals', 'plan.saving', 'plan.saved',
  // The console's ranking panel and plan editor, the screen's top 3s and the console's review.
  'rank.notYet', 'rank.everyone', 'top3.family', 'top3.professionals', 'top3.perParty', 'plan.title', 'plan.actions',
  'plan.what', 'plan.who', 'plan.due', 'plan.status', 'plan.regisseurRole', 'plan.goalPlaceholder', 'plan.addAction',
  'plan.detailsTitle', 'plan.close', 'plan.closeConfirm', 'plan.closeYes', 'plan.closeNeeds', 'review.title',
  'review.scoreThen', 'review.scoreNew', 'review.outcome', 'review.note', 'review.outcomeNeeded', 'review.then',
  // components/room: the ranking with its points and the review, on the laptop and the screen.
  'ranking.voters', 'ranking.points', 'review.intro', 'review.worries',
];

/**
 * Family texts of the Signs of Safety shape. Most meetings have the plain top-3 plan, so
 * the build puts these in a catalogue part of their own (?safety) that a phone loads
 * only in a Signs of Safety meeting (useSafetyTexts), keeping the others' phones small.
 */
export function isSafetyText(k: string): boolean {
  return (k.startsWith('safety.') && isFamilyKey(k)) || SAFETY_ERRORS.includes(k);
}

/**
 * Texts of the "were you heard?" check. Only its own page shows them, after the
 * close, so the build puts them in a catalogue part of their own (?heard) that
 * only that page loads (useHeardTexts).
 */
export function isHeardText(k: string): boolean {
  return k.startsWith('heard.');
}

/**
 * Texts of the child's own page (/kind). Only that page shows them, so the build puts
 * them in a catalogue part of their own (?child, child-texts.ts) that no other phone loads.
 */
export function isChildText(k: string): boolean {
  return k.startsWith('childPage.') || CHILD_ERRORS.includes(k);
}

/** Whether a family can see the text with this key (catalogue metadata, "_meta", counts as one). */
export function isFamilyKey(k: string): boolean {
  if (k.startsWith('_')) return true;
  if (CONSOLE_ONLY.includes(k)) return false;
  return FAMILY_PREFIXES.some((p) => k.startsWith(p)) || FAMILY_ERRORS.includes(k) || SAFETY_ERRORS.includes(k) || CHILD_ERRORS.includes(k) || FAMILY_KEYS.includes(k);
}
