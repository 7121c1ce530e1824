package export

// The words the PDF for a family adds in Arabic, Turkish, Polish and Ukrainian,
// written by the Tafel developers, not yet checked by native speakers (the same
// status as the phone's catalogues, frontend/src/lib/i18n/_meta). Tigrinya is
// in catalogue_ti.go.

// Arabic, Turkish, Polish and Ukrainian: the family's own languages for the PDF.
const (
	Arabic    Lang = "ar"
	Turkish   Lang = "tr"
	Polish    Lang = "pl"
	Ukrainian Lang = "uk"
)

// rtl says whether the language reads right to left.
func (l Lang) rtl() bool { return l == Arabic || l == Farsi }

var textsAR = map[string]string{
	"title": "خطة %s", "meetingOn": "%s في %s", "version": "النسخة %d. أُغلقت في %s.",
	"live": "هذه الخطة ليست نهائية بعد. الاجتماع ما زال مستمرًا.", "atTable": "من كان حاضرًا", "notPresent": "غير حاضر",
	"strengths": "ما يسير بشكل جيد", "noStrengths": "لم يُكتب شيء.", "top3": "أهم 3 مخاوف لدينا",
	"notAgreed": "لم يتم الاتفاق على أهم 3 بعد.", "override": "أهم 3 تختلف عن نتيجة التصويت. السبب: %s",
	"raisedBy": "ذكره", "alsoSaidAs": "قيل أيضًا", "goal": "ماذا نريد أن نرى", "noGoal": "لم يُملأ بعد",
	"score": "كيف الحال الآن", "scoreOf": "%d من 10", "noScore": "لا توجد درجة بعد", "actions": "ماذا سنفعل",
	"noActions": "لا توجد مهام بعد.", "otherActions": "مهام أخرى", "what": "ماذا", "who": "من", "due": "ينتهي في",
	"status": "الحالة", "noDue": "بدون تاريخ", "status:open": "للقيام به", "status:doing": "قيد التنفيذ", "status:done": "تم",
	"regisseur": "المنسق (regisseur)", "regisseurHelp": "المنسق يحافظ على الصورة الكاملة. إذا كانت لديك أسئلة، اسأل المنسق.",
	"noRegisseur": "لم يُختر بعد.", "nextEvaluation": "متى ننظر إلى الخطة معًا مرة أخرى", "noDate": "لا يوجد تاريخ بعد.",
	"dissent": "من لا يوافق", "noDissent": "لم يقل أحد إنه لا يوافق.", "akkoord": "موافقة العائلة", "akkoordBy": "وافق",
	"noAkkoord": "لم توافق العائلة بعد.", "page": "صفحة %d من %s", "icsSummary": "تقييم خطة %s",
	"icsDescription": "ننظر معًا كيف تسير الخطة.", "icsRegisseur": "المنسق: %s",
	"months":  "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
	"changes": "ما الذي تغيّر", "changesSince": "مقارنة بخطة %s (النسخة %d).", "changesOpen": "لم يتم الاتفاق على أهم 3 الجديدة بعد.",
	"kept": "ما زال مصدر قلق", "new": "جديد في أهم 3", "dropped": "لم يعد في أهم 3", "lastTimeAs": "المرة الماضية: %s",
	"scoreThen": "الدرجة في المرة الماضية: %s.", "scoreReview": "عند النظرة إلى الوراء: %s.", "scoreNowIs": "الآن: %s.",
	"prevActions": "مهام المرة الماضية", "noPrevActions": "لم تكن هناك مهام.", "outcome:done": "تم",
	"outcome:partly": "تم جزئيًا", "outcome:not_done": "لم يتم", "outcome:": "لم نتحدث عنه بعد",
}

var textsTR = map[string]string{
	"title": "%s için plan", "meetingOn": "%s, %s", "version": "Sürüm %d. %s tarihinde kapatıldı.",
	"live": "Bu plan henüz bitmedi. Görüşme devam ediyor.", "atTable": "Kimler vardı", "notPresent": "yoktu",
	"strengths": "İyi giden şeyler", "noStrengths": "Bir şey yazılmadı.", "top3": "En büyük 3 endişemiz",
	"notAgreed": "İlk 3 üzerinde henüz anlaşılmadı.", "override": "İlk 3, oylamanın sonucundan farklı. Nedeni: %s",
	"raisedBy": "Söyleyen", "alsoSaidAs": "Şöyle de söylendi", "goal": "Ne görmek istiyoruz", "noGoal": "henüz yazılmadı",
	"score": "Şimdi nasıl", "scoreOf": "10 üzerinden %d", "noScore": "henüz puan yok", "actions": "Ne yapacağız",
	"noActions": "Henüz yapılacak iş yok.", "otherActions": "Diğer işler", "what": "Ne", "who": "Kim", "due": "Bitiş",
	"status": "Durum", "noDue": "tarih yok", "status:open": "yapılacak", "status:doing": "yapılıyor", "status:done": "bitti",
	"regisseur": "Sorumlu kişi (regisseur)", "regisseurHelp": "Sorumlu kişi her şeyi takip eder. Sorularınızı sorumlu kişiye sorabilirsiniz.",
	"noRegisseur": "Henüz seçilmedi.", "nextEvaluation": "Plana ne zaman yeniden birlikte bakıyoruz", "noDate": "Henüz tarih yok.",
	"dissent": "Kim katılmıyor", "noDissent": "Katılmadığını söyleyen olmadı.", "akkoord": "Ailenin onayı", "akkoordBy": "Onaylayan",
	"noAkkoord": "Aile henüz onay vermedi.", "page": "Sayfa %d / %s", "icsSummary": "%s planının değerlendirmesi",
	"icsDescription": "Planın nasıl gittiğine birlikte bakıyoruz.", "icsRegisseur": "Sorumlu kişi: %s",
	"months":  "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
	"changes": "Ne değişti", "changesSince": "%s tarihli planla karşılaştırma (sürüm %d).", "changesOpen": "Yeni ilk 3 üzerinde henüz anlaşılmadı.",
	"kept": "Hâlâ bir endişe", "new": "İlk 3'te yeni", "dropped": "Artık ilk 3'te değil", "lastTimeAs": "Geçen sefer: %s",
	"scoreThen": "Geçen seferki puan: %s.", "scoreReview": "Geriye bakışta: %s.", "scoreNowIs": "Şimdi: %s.",
	"prevActions": "Geçen seferin işleri", "noPrevActions": "Yapılacak iş yoktu.", "outcome:done": "yapıldı",
	"outcome:partly": "kısmen yapıldı", "outcome:not_done": "yapılmadı", "outcome:": "henüz konuşulmadı",
}

var textsPL = map[string]string{
	"title": "Plan: %s", "meetingOn": "%s, %s", "version": "Wersja %d. Zamknięta %s.",
	"live": "Ten plan nie jest jeszcze gotowy. Rozmowa wciąż trwa.", "atTable": "Kto był obecny", "notPresent": "nieobecny",
	"strengths": "Co idzie dobrze", "noStrengths": "Nic nie zapisano.", "top3": "Nasze trzy największe zmartwienia",
	"notAgreed": "Pierwsza trójka nie jest jeszcze uzgodniona.", "override": "Pierwsza trójka różni się od wyniku głosowania. Powód: %s",
	"raisedBy": "Zgłosił(a)", "alsoSaidAs": "Powiedziane też jako", "goal": "Co chcemy zobaczyć", "noGoal": "jeszcze nie wypełnione",
	"score": "Jak jest teraz", "scoreOf": "%d na 10", "noScore": "jeszcze bez oceny", "actions": "Co zrobimy",
	"noActions": "Jeszcze nie ma zadań.", "otherActions": "Inne zadania", "what": "Co", "who": "Kto", "due": "Termin",
	"status": "Stan", "noDue": "bez daty", "status:open": "do zrobienia", "status:doing": "w trakcie", "status:done": "gotowe",
	"regisseur": "Koordynator (regisseur)", "regisseurHelp": "Koordynator pilnuje całości. Z pytaniami można zwrócić się do koordynatora.",
	"noRegisseur": "Jeszcze nie wybrano.", "nextEvaluation": "Kiedy znowu razem patrzymy na plan", "noDate": "Jeszcze bez daty.",
	"dissent": "Kto się nie zgadza", "noDissent": "Nikt nie powiedział, że się nie zgadza.", "akkoord": "Zgoda rodziny", "akkoordBy": "Zgodę dał(a)",
	"noAkkoord": "Rodzina jeszcze nie dała zgody.", "page": "Strona %d z %s", "icsSummary": "Ocena planu: %s",
	"icsDescription": "Razem patrzymy, jak idzie plan.", "icsRegisseur": "Koordynator: %s",
	"months":  "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
	"changes": "Co się zmieniło", "changesSince": "W porównaniu z planem z %s (wersja %d).", "changesOpen": "Nowa pierwsza trójka nie jest jeszcze uzgodniona.",
	"kept": "Nadal zmartwienie", "new": "Nowe w pierwszej trójce", "dropped": "Już nie w pierwszej trójce", "lastTimeAs": "Ostatnio: %s",
	"scoreThen": "Ocena ostatnio: %s.", "scoreReview": "Przy spojrzeniu wstecz: %s.", "scoreNowIs": "Teraz: %s.",
	"prevActions": "Zadania z ostatniego razu", "noPrevActions": "Nie było zadań.", "outcome:done": "zrobione",
	"outcome:partly": "częściowo zrobione", "outcome:not_done": "nie zrobione", "outcome:": "jeszcze nie omówione",
}

var textsUK = map[string]string{
	"title": "План: %s", "meetingOn": "%s, %s", "version": "Версія %d. Закрито %s.",
	"live": "Цей план ще не остаточний. Розмова ще триває.", "atTable": "Хто був присутній", "notPresent": "відсутній",
	"strengths": "Що йде добре", "noStrengths": "Нічого не записано.", "top3": "Наші три головні турботи",
	"notAgreed": "Про трійку головних ще не домовилися.", "override": "Трійка головних відрізняється від результату голосування. Причина: %s",
	"raisedBy": "Назвав(ла)", "alsoSaidAs": "Також сказано як", "goal": "Що ми хочемо побачити", "noGoal": "ще не заповнено",
	"score": "Як зараз", "scoreOf": "%d з 10", "noScore": "ще без оцінки", "actions": "Що ми зробимо",
	"noActions": "Завдань ще немає.", "otherActions": "Інші завдання", "what": "Що", "who": "Хто", "due": "Термін",
	"status": "Стан", "noDue": "без дати", "status:open": "треба зробити", "status:doing": "робиться", "status:done": "зроблено",
	"regisseur": "Координатор (regisseur)", "regisseurHelp": "Координатор тримає все в полі зору. З питаннями звертайтеся до координатора.",
	"noRegisseur": "Ще не вибрано.", "nextEvaluation": "Коли ми знову разом подивимося на план", "noDate": "Дати ще немає.",
	"dissent": "Хто не згоден", "noDissent": "Ніхто не сказав, що не згоден.", "akkoord": "Згода сім'ї", "akkoordBy": "Згоду дав(ла)",
	"noAkkoord": "Сім'я ще не дала згоди.", "page": "Сторінка %d з %s", "icsSummary": "Оцінка плану: %s",
	"icsDescription": "Разом дивимося, як виконується план.", "icsRegisseur": "Координатор: %s",
	"months":  "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
	"changes": "Що змінилося", "changesSince": "Порівняно з планом від %s (версія %d).", "changesOpen": "Про нову трійку головних ще не домовилися.",
	"kept": "Досі турбота", "new": "Нове в трійці головних", "dropped": "Більше не в трійці головних", "lastTimeAs": "Минулого разу: %s",
	"scoreThen": "Оцінка минулого разу: %s.", "scoreReview": "Під час погляду назад: %s.", "scoreNowIs": "Зараз: %s.",
	"prevActions": "Завдання з минулого разу", "noPrevActions": "Завдань не було.", "outcome:done": "зроблено",
	"outcome:partly": "частково зроблено", "outcome:not_done": "не зроблено", "outcome:": "ще не обговорено",
}
