package export

// Somali (Latin script, in DejaVu Sans) and Farsi (right to left, in DejaVu
// Sans's Arabic script, which has the Persian letters and digits). Written by
// the Tafel developers, not yet checked by native speakers.
const (
	Somali Lang = "so"
	Farsi  Lang = "fa"
)

var textsSO = map[string]string{
	"title": "Qorshaha %s", "meetingOn": "%s, %s", "version": "Nuqulka %d. Waxaa la xiray %s.",
	"live": "Qorshahan weli ma dhammaan. Kulanku wuu socdaa.", "atTable": "Yaa joogay", "notPresent": "ma joogin",
	"strengths": "Waxa si fiican u socda", "noStrengths": "Waxba lama qorin.", "top3": "Saddexda walwal ee ugu waaweyn",
	"notAgreed": "Saddexda ugu sarreysa weli lagama heshiin.", "override": "Saddexda ugu sarreysa way ka duwan yihiin natiijada codbixinta. Sababta: %s",
	"raisedBy": "Waxaa sheegay", "alsoSaidAs": "Sidan ayaa sidoo kale loo yiri", "goal": "Maxaan rabnaa inaan aragno", "noGoal": "weli lama buuxin",
	"score": "Sidee bay hadda tahay", "scoreOf": "%d ka mid ah 10", "noScore": "weli dhibco ma jiraan", "actions": "Maxaan samayn doonnaa",
	"noActions": "Weli heshiis ma jiro.", "otherActions": "Heshiisyo kale", "what": "Maxay", "who": "Yaa", "due": "Ilaa goorma",
	"status": "Xaaladda", "noDue": "taariikh ma leh", "status:open": "in la sameeyo", "status:doing": "waa socdaa", "status:done": "waa la dhammeeyay",
	"regisseur": "Isku-duwaha (regisseur)", "regisseurHelp": "Isku-duwuhu wuxuu hayaa sawirka guud. Haddii aad su'aal qabto, weydii isku-duwaha.",
	"noRegisseur": "Weli lama dooran.", "nextEvaluation": "Goorma ayaan mar kale wada eegaynaa qorshaha", "noDate": "Weli taariikh ma jirto.",
	"dissent": "Yaan ku raacsanayn", "noDissent": "Qofna ma oran kuma raacsani.", "akkoord": "Oggolaanshaha qoyska", "akkoordBy": "Waxaa oggolaaday",
	"noAkkoord": "Qoysku weli ma oggolaan.", "page": "Bogga %d ee %s", "icsSummary": "Dib-u-eegista qorshaha %s",
	"icsDescription": "Waxaan wada eegeynaa sida qorshuhu u socdo.", "icsRegisseur": "Isku-duwaha: %s",
	"months":  "Janaayo Febraayo Maarso Abriil Maajo Juun Luulyo Agoosto Sebtembar Oktoobar Nofembar Desembar",
	"changes": "Maxaa isbeddelay", "changesSince": "Marka la barbardhigo qorshaha %s (nuqulka %d).", "changesOpen": "Saddexda cusub ee ugu sarreysa weli lagama heshiin.",
	"kept": "Weli waa walwal", "new": "Cusub saddexda ugu sarreysa", "dropped": "Hadda kuma jiro saddexda ugu sarreysa", "lastTimeAs": "Markii hore: %s",
	"scoreThen": "Dhibcaha markii hore: %s.", "scoreReview": "Dib-u-eegista: %s.", "scoreNowIs": "Hadda: %s.",
	"prevActions": "Heshiisyadii markii hore", "noPrevActions": "Heshiis ma jirin.", "outcome:done": "waa la sameeyay",
	"outcome:partly": "qayb ahaan waa la sameeyay", "outcome:not_done": "lama samayn", "outcome:": "weli lagama hadlin",
}

var textsFA = map[string]string{
	"title": "برنامهٔ %s", "meetingOn": "%s در %s", "version": "نسخهٔ %d. بسته‌شده در %s.",
	"live": "این برنامه هنوز تمام نشده است. جلسه هنوز ادامه دارد.", "atTable": "چه کسانی حاضر بودند", "notPresent": "حاضر نبود",
	"strengths": "چه چیزهایی خوب پیش می‌رود", "noStrengths": "چیزی نوشته نشده است.", "top3": "سه نگرانی اصلی ما",
	"notAgreed": "هنوز دربارهٔ سه مورد اصلی توافق نشده است.", "override": "سه مورد اصلی با نتیجهٔ رأی‌گیری فرق دارد. دلیل: %s",
	"raisedBy": "مطرح‌شده توسط", "alsoSaidAs": "همچنین گفته شد", "goal": "چه چیزی می‌خواهیم ببینیم", "noGoal": "هنوز پر نشده",
	"score": "الان وضع چطور است", "scoreOf": "%d از 10", "noScore": "هنوز نمره‌ای نیست", "actions": "چه کار خواهیم کرد",
	"noActions": "هنوز قراری نیست.", "otherActions": "قرارهای دیگر", "what": "چه کاری", "who": "چه کسی", "due": "تا کی",
	"status": "وضعیت", "noDue": "بدون تاریخ", "status:open": "باید انجام شود", "status:doing": "در حال انجام", "status:done": "انجام شد",
	"regisseur": "هماهنگ‌کننده (regisseur)", "regisseurHelp": "هماهنگ‌کننده همه چیز را زیر نظر دارد. اگر سؤالی دارید، از هماهنگ‌کننده بپرسید.",
	"noRegisseur": "هنوز انتخاب نشده.", "nextEvaluation": "کی دوباره با هم به برنامه نگاه می‌کنیم", "noDate": "هنوز تاریخی نیست.",
	"dissent": "چه کسی موافق نیست", "noDissent": "کسی نگفت که موافق نیست.", "akkoord": "موافقت خانواده", "akkoordBy": "موافقت کرد",
	"noAkkoord": "خانواده هنوز موافقت نکرده است.", "page": "صفحهٔ %d از %s", "icsSummary": "ارزیابی برنامهٔ %s",
	"icsDescription": "با هم نگاه می‌کنیم که برنامه چطور پیش می‌رود.", "icsRegisseur": "هماهنگ‌کننده: %s",
	"months":  "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر",
	"changes": "چه چیزی تغییر کرد", "changesSince": "در مقایسه با برنامهٔ %s (نسخهٔ %d).", "changesOpen": "هنوز دربارهٔ سه مورد اصلی جدید توافق نشده است.",
	"kept": "هنوز یک نگرانی است", "new": "تازه در سه مورد اصلی", "dropped": "دیگر در سه مورد اصلی نیست", "lastTimeAs": "دفعهٔ قبل: %s",
	"scoreThen": "نمرهٔ دفعهٔ قبل: %s.", "scoreReview": "در بازنگری: %s.", "scoreNowIs": "الان: %s.",
	"prevActions": "قرارهای دفعهٔ قبل", "noPrevActions": "قراری نبود.", "outcome:done": "انجام شد",
	"outcome:partly": "بخشی انجام شد", "outcome:not_done": "انجام نشد", "outcome:": "هنوز دربارهٔ آن صحبت نشده",
}

var safetySO = map[string]string{
	"kind:interpreter": "turjubaan", "kind:support": "qof taageere",
	"existing": "Maxaa hadda ilmaha ammaan ka dhigaya", "complicating": "Maxaa adkeynaya", "noNotes": "Waxba lama qorin.",
	"childVoice": "Ilmuhu qudhiisa muxuu leeyahay", "houseWorries": "Guriga walwalka", "houseGoesWell": "Guriga waxyaabaha wanaagsan",
	"houseWishes": "Guriga riyooyinka", "broughtBy": "Waxaa sheegay %s", "worried": "Yaa walwalsan", "happened": "Maxaa dhacay",
	"mayHappen": "Maxaa ku dhici kara ilmaha haddii waxba isbeddelin", "disagreement": "Yaa si kale u arka",
	"safetyGoal": "Maxaan u baahanahay inaan aragno si aan u hubno in ilmuhu ammaan yahay", "goalDuration": "Muddo intee le'eg",
	"scales": "Sidee bay xaaladdu tahay (0 ilaa 10)", "tenMeans": "10 macnaheedu waa: %s", "zeroMeans": "0 macnaheedu waa: %s",
	"noScores": "Weli dhibco ma jiraan.", "safetyPlan": "Qorshaha badbaadada", "noAgreements": "Weli heshiis badbaado ma jiro.",
	"doer": "Yaa sameeya", "checker": "Yaa hubiya", "watchers": "Yaa ilaaliya", "planB": "Qorshaha B haddii uu shaqayn waayo",
	"answers": "Wuxuu ka jawaabayaa shuruudda", "conditions": "Shuruudaha", "conditionsHelp": "Tani waa inay qorshaha ku jirtaa. Sidaas ayuu xirfadluhu u codsaday.",
	"setBy": "Waxaa dhigay %s", "condition:open": "weli furan", "condition:met": "waa la buuxiyay", "condition:waived": "waa laga tegay",
	"contact": "Sida aad ula xiriirto isku-duwaha", "safetyChanges": "Badbaadada: maxaa isbeddelay", "scoreChanges": "Dhibcaha dhinac kasta",
	"agreementsHeld": "Heshiisyadii badbaadada ma shaqeeyeen", "scoreLine": "%s: markii hore %s, dib-u-eegista %s, hadda %s.",
	"held:held": "way shaqeeyeen", "held:partly": "qayb ahaan way shaqeeyeen", "held:failed": "ma shaqayn", "held:": "weli lagama hadlin",
	"dash": "dhibco ma leh",
}

var safetyFA = map[string]string{
	"kind:interpreter": "مترجم", "kind:support": "فرد حامی",
	"existing": "الان چه چیزی کودک را در امان نگه می‌دارد", "complicating": "چه چیزی کار را سخت‌تر می‌کند", "noNotes": "چیزی نوشته نشده است.",
	"childVoice": "خود کودک چه می‌گوید", "houseWorries": "خانهٔ نگرانی‌ها", "houseGoesWell": "خانهٔ چیزهای خوب",
	"houseWishes": "خانهٔ آرزوها", "broughtBy": "تعریف‌شده توسط %s", "worried": "چه کسی نگران است", "happened": "چه اتفاقی افتاد",
	"mayHappen": "اگر چیزی تغییر نکند، چه اتفاقی ممکن است برای کودک بیفتد", "disagreement": "چه کسی آن را طور دیگری می‌بیند",
	"safetyGoal": "چه چیزی باید ببینیم تا مطمئن شویم کودک در امان است", "goalDuration": "برای چه مدت",
	"scales": "وضع چطور است (از 0 تا 10)", "tenMeans": "10 یعنی: %s", "zeroMeans": "0 یعنی: %s",
	"noScores": "هنوز نمره‌ای نیست.", "safetyPlan": "برنامهٔ ایمنی", "noAgreements": "هنوز قراری دربارهٔ ایمنی نیست.",
	"doer": "چه کسی انجام می‌دهد", "checker": "چه کسی بررسی می‌کند", "watchers": "چه کسی مراقب است", "planB": "برنامهٔ ب اگر نشد",
	"answers": "پاسخ به شرط", "conditions": "شرط‌ها", "conditionsHelp": "این باید در برنامه باشد. متخصص این را خواسته است.",
	"setBy": "گذاشته‌شده توسط %s", "condition:open": "هنوز باز است", "condition:met": "برآورده شد", "condition:waived": "لغو شد",
	"contact": "چطور با هماهنگ‌کننده تماس بگیرید", "safetyChanges": "ایمنی: چه چیزی تغییر کرد", "scoreChanges": "نمره‌ها برای هر طرف",
	"agreementsHeld": "آیا قرارهای ایمنی عملی شد", "scoreLine": "%s: دفعهٔ قبل %s، در بازنگری %s، الان %s.",
	"held:held": "عملی شد", "held:partly": "بخشی عملی شد", "held:failed": "عملی نشد", "held:": "هنوز دربارهٔ آن صحبت نشده",
	"dash": "بدون نمره",
}
