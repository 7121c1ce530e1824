package export

// Tigrinya, drawn in Noto Sans Ethiopic. Written by the Tafel developers, not
// yet checked by a native speaker (as frontend/src/lib/i18n/ti.json says).
const Tigrinya Lang = "ti"

var textsTI = map[string]string{
	"title": "መደብ %s", "meetingOn": "%s, %s", "version": "ሕታም %d። ብ%s ተዓጽዩ።",
	"live": "እዚ መደብ ገና ኣይተወደአን። ኣኼባ ይቕጽል ኣሎ።", "atTable": "መን ነይሩ", "notPresent": "ኣይነበረን",
	"strengths": "ጽቡቕ ዝኸይድ", "noStrengths": "ዝተጻሕፈ የለን።", "top3": "ቀዳሞት 3 ሻቕሎታትና",
	"notAgreed": "ኣብ ቀዳሞት 3 ገና ኣይተሰማማዕናን።", "override": "እዞም ቀዳሞት 3 ካብ ውጽኢት ድምጺ ይፈልዩ። ምኽንያቱ: %s",
	"raisedBy": "ዝለዓሎ", "alsoSaidAs": "ከምዚ ድማ ተባሂሉ", "goal": "እንታይ ክንርኢ ንደሊ", "noGoal": "ገና ኣይተመልአን",
	"score": "ሕጂ ከመይ ኣሎ", "scoreOf": "%d ካብ 10", "noScore": "ገና ነጥቢ የለን", "actions": "እንታይ ክንገብር ኢና",
	"noActions": "ገና ስምምዕ የለን።", "otherActions": "ካልኦት ስምምዓት", "what": "እንታይ", "who": "መን", "due": "ክሳብ መዓስ",
	"status": "ኩነታት", "noDue": "ዕለት የለን", "status:open": "ክግበር ዘለዎ", "status:doing": "ይግበር ኣሎ", "status:done": "ተገይሩ",
	"regisseur": "ኣወሃሃዲ (regisseur)", "regisseurHelp": "ኣወሃሃዲ ንኹሉ ይከታተል። ሕቶ እንተሃልዩኩም ንኣወሃሃዲ ሕተቱ።",
	"noRegisseur": "ገና ኣይተመርጸን።", "nextEvaluation": "መዓስ ኢና ደጊምና ብሓባር ንመደብ እንርእዮ", "noDate": "ገና ዕለት የለን።",
	"dissent": "መን ኣይሰማማዕን", "noDissent": "ዘይሰማማዕ ዝበለ የለን።", "akkoord": "ስምምዕ ስድራ", "akkoordBy": "ዝተሰማምዑ",
	"noAkkoord": "ስድራ ገና ኣይተሰማምዑን።", "page": "ገጽ %d ካብ %s", "icsSummary": "ገምጋም መደብ %s",
	"icsDescription": "መደብ ከመይ ይኸይድ ከም ዘሎ ብሓባር ንርኢ።", "icsRegisseur": "ኣወሃሃዲ: %s",
	"months":  "ጥሪ ለካቲት መጋቢት ሚያዝያ ግንቦት ሰነ ሓምለ ነሓሰ መስከረም ጥቅምቲ ሕዳር ታሕሳስ",
	"changes": "እንታይ ተቐይሩ", "changesSince": "ምስ መደብ %s (ሕታም %d) ተነጻጺሩ።", "changesOpen": "ኣብ ሓደስቲ ቀዳሞት 3 ገና ኣይተሰማማዕናን።",
	"kept": "ገና ሻቕሎት እዩ", "new": "ሓድሽ ኣብ ቀዳሞት 3", "dropped": "ሕጂ ኣብ ቀዳሞት 3 የለን", "lastTimeAs": "ዝሓለፈ ግዜ: %s",
	"scoreThen": "ነጥቢ ዝሓለፈ ግዜ: %s።", "scoreReview": "ንድሕሪት ክንጥምት ከለና: %s።", "scoreNowIs": "ሕጂ: %s።",
	"prevActions": "ስምምዓት ዝሓለፈ ግዜ", "noPrevActions": "ስምምዓት ኣይነበሩን።", "outcome:done": "ተገይሩ",
	"outcome:partly": "ብኸፊል ተገይሩ", "outcome:not_done": "ኣይተገብረን", "outcome:": "ገና ኣይተዘራረብናሉን",
}
