#!/usr/bin/python3
"""Builds the fallback fonts the PDF export embeds.

Run once by hand when a font changes; the output is committed, so neither a
build nor a server needs what it takes:

    apt-get install fonts-noto-core python3-fonttools
    npm pack @fontsource/noto-emoji@5.3.2     # in any folder, say /tmp/emoji
    tar xzf fontsource-noto-emoji-5.3.2.tgz
    NOTO_EMOJI=/tmp/emoji/package/files/noto-emoji-emoji-400-normal.woff \
        /usr/bin/python3 make-fonts.py        # in this folder

- NotoSansEthiopic-{Regular,Bold}.ttf: Noto Sans Ethiopic (OFL 1.1, from
  fonts-noto-core), cut to the Ethiopic blocks, without hinting or layout
  tables: Ethiopic needs no shaping, each syllable is one glyph.
- TafelEmoji.ttf: Noto Emoji, the monochrome one (OFL 1.1, Google Fonts v65,
  version 3.006, weight 400, from the npm package @fontsource/noto-emoji
  5.3.2; its "emoji" subset is the whole font, and WOFF 1.0 is an sfnt
  compressed with zlib, which fontTools reads), cut to every character it has
  from U+2000 on, without hinting, with its ccmp feature (GSUB), which joins a
  ZWJ sequence, a skin tone or a flag into one glyph.
  go-pdf/fpdf reads only a font's format 4 cmap and writes each character as a
  16-bit CID equal to its code point, so it cannot reach a glyph beyond U+FFFF
  nor one that no character maps to. Every such glyph (the pictographs beyond
  the BMP and the ligatures of sequences) is therefore also mapped at a
  Private Use code point from U+E000 on, in both the format 4 cmap (what fpdf
  reads) and the format 12 cmap (what the Go side reads to learn the pairing;
  it shapes a sequence with HarfBuzz and draws the glyph it gets).

Each font keeps its source's timestamp, so a run on the same inputs writes the
same bytes.
"""
import hashlib
import os
import sys
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

NOTO = "/usr/share/fonts/truetype/noto/NotoSansEthiopic-%s.ttf"
NOTO_EMOJI = os.environ.get("NOTO_EMOJI", "noto-emoji-emoji-400-normal.woff")
NOTO_EMOJI_SHA256 = "61c7949ebb9d401f397826415e64525f60298bf2a9c469f9720aa17817877331"
ETHIOPIC = [(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]
PUA = 0xE000


def cut(src, dst, ranges):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    font = TTFont(src, recalcTimestamp=False)
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
    with open(NOTO_EMOJI, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != NOTO_EMOJI_SHA256:
            sys.exit("%s is not the Noto Emoji of @fontsource/noto-emoji 5.3.2" % NOTO_EMOJI)
    font = TTFont(NOTO_EMOJI, recalcTimestamp=False)
    font.flavor = None  # save as a plain TrueType font, not WOFF
    codes = sorted(c for c in font.getBestCmap() if c >= 0x2000)
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = ["ccmp"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["STAT", "vhea", "vmtx"]
    s = subset.Subsetter(opts)
    s.populate(unicodes=codes)
    s.subset(font)
    best = font.getBestCmap()
    full = dict(best)
    reachable = {g for c, g in best.items() if c <= 0xFFFF}
    next_pua = PUA
    # Every glyph fpdf cannot reach by a code point of the BMP, in glyph order
    # (so the cut is the same each run): pictographs beyond U+FFFF and the
    # glyphs ccmp makes of sequences.
    for g in font.getGlyphOrder()[1:]:
        if g not in reachable:
            full[next_pua] = g
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
    print("Emoji: %d characters, %d glyphs at Private Use code points" % (len(codes), next_pua - PUA))


if __name__ == "__main__":
    ethiopic("Regular")
    ethiopic("Bold")
    emoji()
