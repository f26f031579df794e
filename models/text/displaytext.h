#pragma once

#include <QByteArrayView>
#include <QString>

// The one rule for showing bytes that a peer sent to a person (DESIGN.md). Every surface that
// shows peer text (log, timeline, handshake, payload, server panel, probe report, teaching views,
// the CLI's text output) goes through it; machine formats (jsonl, session files) keep the exact
// bytes instead.
//
// What it does, so that displayed text always reads as what was sent ("Trojan Source"):
// - C0 controls, DEL and C1 controls are escaped: \n \r \t, \x1b, \x7f, \u0085;
// - bidi embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E, U+200F,
//   U+061C), zero-width and invisible characters (U+200B–200D, U+2060–2064, U+FEFF, U+00AD, ...),
//   line and paragraph separators and tag characters are escaped as \u202e or \u{e0041};
// - bytes that are not well-formed UTF-8 (overlongs, surrogates, truncated sequences, > U+10FFFF)
//   are shown one by one as \xHH, never as U+FFFD;
// - a length cut never splits an escape or a code point.
// The result is plain text: show it with Qt::PlainText, never as rich text.
namespace DisplayText {

enum class Lines : quint8 {
    Single, // \n, \r and \t escaped: the text reads as one line (log rows, timeline, terminal)
    Multiple, // line feeds and tabs kept; every CR escaped (a payload's CR LF shows as \r and a break)
    Http, // CR LF is the line break; a bare LF shows as \n and breaks, CR and tab escaped (handshakes)
};

struct Options {
    Lines lines = Lines::Single;
    qsizetype maxChars = -1; // displayed characters (an escape counts its length); -1: no limit
    bool escapeQuotes = false; // also \" and \\, for text shown between quotes
};

struct Result {
    qsizetype consumed = 0; // input bytes shown; less than the input only when cut
    bool cut = false;
    qsizetype firstInvalid = -1; // offset of the first byte shown as \xHH (not UTF-8), or -1
    bool validUtf8() const { return firstInvalid < 0; }
    bool escaped = false; // true when anything was escaped
};

// Worst-case output size in bytes for `inputBytes` of input (an invalid byte becomes 4), and with a
// cut at `maxChars` (a displayed character is at most 4 bytes: an escape is ASCII, one per byte).
constexpr qsizetype maxOutputBytes(qsizetype inputBytes) { return inputBytes * 4 + 16; }
constexpr qsizetype maxOutputBytes(qsizetype inputBytes, qsizetype maxChars)
{
    return maxChars < 0 || maxChars * 4 >= inputBytes * 4 ? maxOutputBytes(inputBytes) : maxChars * 4 + 16;
}

// Writes the display form of `bytes`, UTF-8 encoded, to `out`, which must have room for
// maxOutputBytes(bytes.size()). Returns the end of what was written. For writers that own their
// buffer (the CLI's text output).
char *write(char *out, QByteArrayView bytes, const Options &options = {}, Result *result = nullptr);

// The display form as a string; a cut ends with "…".
QString fromPeer(QByteArrayView bytes, const Options &options = {}, Result *result = nullptr);

// One line of at most `maxChars` characters, the everyday case for rows and labels.
inline QString line(QByteArrayView bytes, qsizetype maxChars = -1)
{
    return fromPeer(bytes, Options { Lines::Single, maxChars, false });
}

// Several lines kept as lines (payload view).
inline QString lines(QByteArrayView bytes, qsizetype maxChars = -1)
{
    return fromPeer(bytes, Options { Lines::Multiple, maxChars, false });
}

// Peer bytes quoted inside a sentence, with " and \ escaped too: "a \"b\"".
inline QString quoted(QByteArrayView bytes, qsizetype maxChars = -1)
{
    return QLatin1Char('"') + fromPeer(bytes, Options { Lines::Single, maxChars, true }) + QLatin1Char('"');
}

// Text for a tool tip, which Qt would take for rich text if it looks like markup: wraps text already
// in display form (or our own words quoting it) so that it always shows as plain text, white space
// kept. Every tool tip that can hold peer text goes through it.
QString toolTip(const QString &displayed);

// A character the user typed, named in an error message: 'x' when visible, U+202E otherwise.
QString describeCharacter(QChar c);

// True when `codePoint` is one that the rule escapes (controls, bidi, invisible).
bool isEscaped(char32_t codePoint);

} // namespace DisplayText
