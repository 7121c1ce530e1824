#!/usr/bin/python3
"""Builds the fallback fonts the PDF export embeds, from Debian's font packages.

Run once by hand when a font changes (apt-get install fonts-noto-core
fonts-symbola unicode-data python3-fonttools); the output is committed, so neither a build
nor a server needs these packages.

- NotoSansEthiopic-{Regular,Bold}.ttf: Noto Sans Ethiopic (OFL 1.1, from
  fonts-noto-core), cut to the Ethiopic blocks, without hinting or layout
  tables: Ethiopic needs no shaping, each syllable is one glyph.
- TafelEmoji.ttf: Symbola (free for any use, from fonts-symbola), cut to the
  characters Unicode calls emoji (Emoji=Yes in unicode-data's emoji-data.txt),
  which is what a phone's emoji keyboard types, from U+2000 on. go-pdf/fpdf reads only a font's format 4 cmap and
  writes each character as a 16-bit CID equal to its code point, so it cannot
  reach a glyph beyond U+FFFF. Every such glyph is therefore also mapped at a
  Private Use code point from U+E000 on, in both the format 4 cmap (what fpdf
  reads) and the format 12 cmap (what the Go side reads to learn the pairing).
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

NOTO = "/usr/share/fonts/truetype/noto/NotoSansEthiopic-%s.ttf"
SYMBOLA = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"
ETHIOPIC = [(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]
EMOJI_DATA = "/usr/share/unicode/emoji/emoji-data.txt"
PUA = 0xE000


def emoji_ranges():
    """The code points with the Emoji property, from U+2000 on (below it are
    digits, # and *, (c) and (R), which DejaVu Sans has)."""
    out = []
    for line in open(EMOJI_DATA, encoding="utf-8"):
        fields = line.split("#")[0].split(";")
        if len(fields) != 2 or fields[1].strip() != "Emoji":
            continue
        lo, _, hi = fields[0].strip().partition("..")
        lo, hi = int(lo, 16), int(hi or lo, 16)
        if hi >= 0x2000:
            out.append((max(lo, 0x2000), hi))
    return out


def cut(src, dst, ranges):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    font = TTFont(src)
    have = font.getBestCmap()
    codes = [c for lo, hi in ranges for c in range(lo, hi + 1) if c in have]
    s = subset.Subsetter(opts)
    s.populate(unicodes=codes)
    s.subset(font)
    return font, codes


def ethiopic(style):
    font, codes = cut(NOTO % style, None, ETHIOPIC)
    font.save("NotoSansEthiopic-%s.ttf" % style)
    print("Ethiopic %s: %d characters" % (style, len(codes)))


def emoji():
    font, codes = cut(SYMBOLA, None, emoji_ranges())
    best = font.getBestCmap()
    full = dict(best)
    next_pua = PUA
    for c in sorted(best):
        if c > 0xFFFF:
            full[next_pua] = best[c]
            next_pua += 1
    if next_pua > 0xF8FF:
        sys.exit("too many glyphs beyond the BMP for the Private Use Area")
    bmp = {c: g for c, g in full.items() if c <= 0xFFFF}
    t4 = CmapSubtable.newSubtable(4)
    t4.platformID, t4.platEncID, t4.language, t4.cmap = 3, 1, 0, bmp
    t12 = CmapSubtable.newSubtable(12)
    t12.platformID, t12.platEncID, t12.language, t12.cmap = 3, 10, 0, full
    font["cmap"].tables = [t4, t12]
    font.save("TafelEmoji.ttf")
    print("Emoji: %d characters, %d beyond the BMP" % (len(codes), next_pua - PUA))


if __name__ == "__main__":
    ethiopic("Regular")
    ethiopic("Bold")
    emoji()
