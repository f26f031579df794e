#include "probe/conformancedata.h"

#include <QCoreApplication>

#include <cmath>
#include <iterator>

// Every set is built from a fixed seed with integer arithmetic (one exactly rounded square root),
// so its bytes do not depend on the compiler, the standard library or the platform.

namespace Conformance::TestData {

namespace {

// The sizes of Autobahn's files: the cases cut their messages at offsets within these.
constexpr qsizetype JsonSize = 194056;
constexpr qsizetype BitmapSize = 263222;
constexpr qsizetype TextSize = 222218;
constexpr qsizetype HtmlSize = 263527;
constexpr qsizetype PdfSize = 1042328;

qsizetype sizeOf(Set set)
{
    switch (set) {
    case Set::Json:
        return JsonSize;
    case Set::Bitmap:
        return BitmapSize;
    case Set::Text:
        return TextSize;
    case Set::Html:
        return HtmlSize;
    case Set::Pdf:
        break;
    }
    return PdfSize;
}

// splitmix64: tiny, fast and fully specified, unlike the std:: distributions, whose output
// differs between standard libraries. Modulo bias does not matter for test data.
// Every expression below draws at most once (or in sequenced parts: ?:, statements): the operands
// of + are evaluated in an unspecified order, and GCC and Clang do pick different orders.
class Prng {
public:
    explicit Prng(quint64 seed)
        : m_state(seed)
    {
    }

    quint64 next()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // In [0, bound).
    int below(int bound) { return int(next() % quint64(bound)); }
    // In [low, high].
    int between(int low, int high) { return low + below(high - low + 1); }
    bool chance(int percent) { return below(100) < percent; }

    template <typename T, size_t N> const T &pick(const T (&list)[N]) { return list[below(int(N))]; }

    // Byte by byte from each draw, so the result does not depend on the host's byte order.
    void fill(char *data, qsizetype size)
    {
        qsizetype at = 0;
        while (at < size) {
            quint64 bits = next();
            for (int i = 0; i < 8 && at < size; ++i, bits >>= 8)
                data[at++] = char(bits & 0xff);
        }
    }

private:
    quint64 m_state;
};

constexpr const char *EnglishWords[] = { "account", "active", "address", "agent", "alpha", "amber", "anchor",
    "apple", "archive", "arrow", "atlas", "autumn", "badge", "balance", "banner", "basic", "beacon", "berry",
    "binary", "birch", "blade", "bloom", "border", "branch", "breeze", "bridge", "bright", "brook", "buffer",
    "button", "cable", "canyon", "carbon", "castle", "cedar", "channel", "charter", "circle", "client", "cloud",
    "cluster", "coast", "cobalt", "comet", "copper", "coral", "cotton", "crystal", "current", "dawn", "delta",
    "desert", "digital", "domain", "dragon", "driver", "eagle", "echo", "edge", "ember", "engine", "event",
    "falcon", "feather", "field", "filter", "flame", "forest", "fortune", "frame", "galaxy", "garden", "gateway",
    "glacier", "granite", "harbor", "harvest", "hazel", "horizon", "island", "ivory", "jasper", "journal", "jungle",
    "kernel", "lagoon", "lantern", "ledger", "legacy", "lemon", "linear", "lotus", "magnet", "maple", "marble",
    "meadow", "meridian", "metro", "mirror", "module", "monarch", "mosaic", "motion", "nebula", "network", "noble",
    "north", "nova", "oasis", "ocean", "olive", "onyx", "orbit", "orchid", "pacific", "packet", "panel", "pattern",
    "pebble", "pepper", "phoenix", "pilot", "pine", "pixel", "planet", "plaza", "polar", "portal", "prairie",
    "prism", "quartz", "quest", "radar", "rapid", "raven", "record", "relay", "ridge", "river", "rocket", "saddle",
    "sage", "salmon", "signal", "silver", "socket", "solar", "spark", "spring", "stone", "summit", "sunset",
    "system", "tango", "temple", "thunder", "timber", "token", "topaz", "tower", "trail", "travel", "tundra",
    "union", "valley", "vector", "velvet", "vertex", "violet", "vision", "voyage", "walnut", "willow", "window",
    "winter", "wizard", "yellow", "zenith", "zephyr", "zone" };

constexpr const char *FirstNames[] = { "Ada", "Alan", "Alice", "Amara", "Bruno", "Carla", "Chen", "Dara", "Elena",
    "Emil", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Kai", "Lena", "Leo", "Mara",
    "Mateo", "Nadia", "Nina", "Omar", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Sofia", "Tariq", "Tess", "Uma",
    "Vera", "Wen", "Yara", "Yusuf", "Zoe" };

constexpr const char *LastNames[] = { "Abbott", "Baker", "Castillo", "Dalton", "Eriksen", "Fischer", "Garcia",
    "Hayes", "Ibsen", "Jensen", "Kovacs", "Larsen", "Moreno", "Novak", "Okafor", "Patel", "Quist", "Rossi", "Sato",
    "Torres", "Ueda", "Varga", "Walsh", "Xu", "Young", "Zimmer" };

// German verse, roughly in the proportions of Faust: many short function words, nouns
// capitalised, and plenty of ä, ö, ü and ß, so the text has multi-byte code points throughout.
constexpr const char *GermanFunctionWords[] = { "und", "der", "die", "das", "des", "dem", "den", "ein", "eine",
    "im", "in", "auf", "aus", "mit", "nach", "zu", "zum", "zur", "über", "unter", "vor", "durch", "für", "ohne",
    "um", "wie", "wo", "so", "doch", "noch", "nicht", "nur", "schon", "auch", "ach", "o", "ich", "du", "er", "sie",
    "es", "wir", "ihr", "mich", "dich", "mir", "dir", "mein", "dein", "sein", "was", "wer", "daß", "wenn", "als",
    "da", "dort", "hier", "nun", "einst", "nie", "immer", "gar", "fort", "hin", "her", "empor", "müßt" };

constexpr const char *GermanNouns[] = { "Nacht", "Herz", "Seele", "Geist", "Welt", "Himmel", "Erde", "Stern",
    "Traum", "Glück", "Schmerz", "Sehnsucht", "Mond", "Sonne", "Wald", "Flur", "Tränen", "Blüte", "Gärten", "Lied",
    "Wort", "Tat", "Kraft", "Liebe", "Tod", "Leben", "Zeit", "Stunde", "Äther", "Öde", "Übermut", "Gewölbe",
    "Bücher", "Flamme", "Feuer", "Wasser", "Quelle", "Strom", "Fluß", "Fuß", "Gruß", "Straße", "Maß", "Schoß",
    "Größe", "Süße", "Brüder", "Mädchen", "Knabe", "Greis", "Frühling", "Höhen", "Tiefe", "Gefühl", "Gestalten",
    "Schatten", "Wolken", "Lüfte", "Vögel", "Bäume", "König", "Fürst", "Schlüssel", "Türme", "Glocken", "Klänge",
    "Chöre", "Engel", "Zauber", "Weisheit", "Wissen", "Torheit", "Natur", "Busen", "Wonne", "Qual", "Pein", "Gnade",
    "Ewigkeit", "Augenblick", "Becher", "Wein", "Tür", "Schwelle", "Hügel", "Täler", "Flügel", "Gemüt", "Grüße" };

constexpr const char *GermanOtherWords[] = { "ist", "war", "wird", "sind", "hab", "hat", "möcht", "wär", "könnte",
    "müßte", "sehen", "fühlen", "träumen", "glühen", "blühen", "schweben", "dringen", "klingen", "strömen", "weben",
    "wirken", "öffnen", "schließen", "grüßen", "küssen", "büßen", "stürzen", "fließen", "genießen", "sprühen",
    "drängen", "süß", "hold", "heilig", "ewig", "dunkel", "hell", "still", "schön", "müde", "kühn", "trüb", "grün",
    "hoch", "tief", "weit", "groß", "bloß", "heiß", "weiß", "leise", "lieblich", "göttlich", "irdisch", "fröhlich",
    "zärtlich", "mächtig", "prächtig", "flüchtig", "töricht", "nächtlich", "wähnt", "spürt", "hört", "gäb",
    "läßt" };

constexpr const char *Speakers[]
    = { "DER WANDERER", "DIE STIMME", "DER GEIST", "DER SCHÜLER", "CHOR", "DER ALTE", "DIE MÄGDE", "DER TÜRMER" };

QByteArray twoDigits(int value)
{
    return QByteArray::number(value).rightJustified(2, '0');
}

// A decimal with `decimals` places from an integer count of its smallest unit, without doubles,
// so the digits never depend on how a platform rounds or formats floating point.
QByteArray fixedPoint(qint64 scaled, int decimals)
{
    qint64 unit = 1;
    for (int i = 0; i < decimals; ++i)
        unit *= 10;
    const qint64 magnitude = scaled < 0 ? -scaled : scaled;
    return (scaled < 0 ? "-" : "") + QByteArray::number(magnitude / unit) + '.'
        + QByteArray::number(magnitude % unit).rightJustified(decimals, '0');
}

QByteArray words(Prng &prng, int count)
{
    QByteArray text;
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            text += ' ';
        text += prng.pick(EnglishWords);
    }
    return text;
}

QByteArray sentence(Prng &prng, int minWords, int maxWords)
{
    QByteArray text = words(prng, prng.between(minWords, maxWords));
    text[0] = char(text[0] - 'a' + 'A');
    return text + '.';
}

QByteArray capitalized(const char *word)
{
    QByteArray text(word);
    text[0] = char(text[0] - 'a' + 'A');
    return text;
}

// Filler of exactly `size` bytes (words, the last one possibly cut), for padding a set to its size.
QByteArray filler(Prng &prng, qsizetype size)
{
    QByteArray text;
    while (text.size() < size)
        text += words(prng, 1) + ' ';
    text.truncate(size);
    return text;
}

// --- JSON -----------------------------------------------------------------------------------------

QByteArray jsonRecord(Prng &prng, int id)
{
    const char *first = prng.pick(FirstNames);
    const char *last = prng.pick(LastNames);
    QByteArray guid;
    for (int group : { 8, 4, 4, 4, 12 }) {
        if (!guid.isEmpty())
            guid += '-';
        for (int i = 0; i < group; ++i)
            guid += "0123456789abcdef"[prng.below(16)];
    }
    QByteArray company = prng.pick(EnglishWords);
    company += prng.pick(EnglishWords);

    QByteArray r;
    r += "  {\n";
    r += "    \"id\": " + QByteArray::number(id) + ",\n";
    r += "    \"guid\": \"" + guid + "\",\n";
    r += "    \"isActive\": " + QByteArray(prng.chance(60) ? "true" : "false") + ",\n";
    r += "    \"balance\": " + fixedPoint(prng.between(1000, 4000000), 2) + ",\n";
    r += "    \"age\": " + QByteArray::number(prng.between(18, 80)) + ",\n";
    r += "    \"name\": \"" + QByteArray(first) + ' ' + last + "\",\n";
    r += "    \"company\": \"" + company.toUpper() + "\",\n";
    r += "    \"email\": \"" + QByteArray(first).toLower() + '.' + QByteArray(last).toLower() + '@' + company
        + ".com\",\n";
    r += "    \"phone\": \"+1 (" + QByteArray::number(prng.between(200, 999)) + ") ";
    r += QByteArray::number(prng.between(200, 999)) + '-';
    r += QByteArray::number(prng.between(1000, 9999)) + "\",\n";
    r += "    \"address\": \"" + QByteArray::number(prng.between(1, 999)) + ' ';
    r += capitalized(prng.pick(EnglishWords)) + " Street, ";
    r += capitalized(prng.pick(EnglishWords)) + "\",\n";
    r += "    \"about\": \"" + sentence(prng, 8, 20) + ' ';
    r += sentence(prng, 6, 16) + "\",\n";
    r += "    \"registered\": \"" + QByteArray::number(prng.between(2010, 2023));
    r += '-' + twoDigits(prng.between(1, 12));
    r += '-' + twoDigits(prng.between(1, 28));
    r += 'T' + twoDigits(prng.below(24));
    r += ':' + twoDigits(prng.below(60));
    r += ':' + twoDigits(prng.below(60)) + "Z\",\n";
    r += "    \"latitude\": " + fixedPoint(prng.between(-90000000, 90000000), 6) + ",\n";
    r += "    \"longitude\": " + fixedPoint(prng.between(-180000000, 180000000), 6) + ",\n";
    r += "    \"scores\": [";
    const int scores = prng.between(3, 8);
    for (int i = 0; i < scores; ++i)
        r += (i ? ", " : "") + QByteArray::number(prng.between(0, 100));
    r += "],\n";
    r += "    \"tags\": [\n";
    const int tags = prng.between(2, 7);
    for (int i = 0; i < tags; ++i)
        r += "      \"" + QByteArray(prng.pick(EnglishWords)) + (i + 1 < tags ? "\",\n" : "\"\n");
    r += "    ],\n";
    r += "    \"friends\": [\n";
    const int friends = prng.between(1, 4);
    for (int i = 0; i < friends; ++i) {
        r += "      {\n";
        r += "        \"id\": " + QByteArray::number(i) + ",\n";
        r += "        \"name\": \"" + QByteArray(prng.pick(FirstNames)) + ' ';
        r += QByteArray(prng.pick(LastNames)) + "\"\n";
        r += i + 1 < friends ? "      },\n" : "      }\n";
    }
    r += "    ],\n";
    r += "    \"greeting\": \"Hello, " + QByteArray(first) + "! You have " + QByteArray::number(prng.between(1, 20))
        + " unread messages.\",\n";
    r += "    \"favoriteWord\": \"" + QByteArray(prng.pick(EnglishWords)) + "\"\n";
    r += "  }";
    return r;
}

// An array of records like an API dump. The last record pads the array to the exact size, so the
// whole set is still valid JSON (the cases slice it anyway).
QByteArray generateJson()
{
    Prng prng(0x4a534f4e2d313231ULL);
    const QByteArray tail = "\n]\n";
    const qsizetype paddingOverhead = 64; // a padding record's fixed part, with room to spare
    QByteArray json = "[\n";
    int id = 0;
    for (;;) {
        const QByteArray record = jsonRecord(prng, id);
        if (json.size() + record.size() + 2 + paddingOverhead + tail.size() > JsonSize)
            break;
        json += record + ",\n";
        ++id;
    }
    const QByteArray paddingHead = "  {\n    \"id\": " + QByteArray::number(id) + ",\n    \"padding\": \"";
    const QByteArray paddingTail = "\"\n  }";
    json += paddingHead;
    json += filler(prng, JsonSize - json.size() - paddingTail.size() - tail.size());
    json += paddingTail + tail;
    Q_ASSERT(json.size() == JsonSize);
    return json;
}

// --- Bitmap ---------------------------------------------------------------------------------------

constexpr int BitmapSide = 512;
constexpr int PaletteBytes = 256 * 4;
constexpr int BitmapHeaderBytes = 14 + 40 + PaletteBytes;
static_assert(BitmapHeaderBytes + BitmapSide * BitmapSide == BitmapSize);

void appendLe16(QByteArray &out, quint16 value)
{
    out += char(value & 0xff);
    out += char(value >> 8);
}

void appendLe32(QByteArray &out, quint32 value)
{
    for (int shift = 0; shift < 32; shift += 8)
        out += char((value >> shift) & 0xff);
}

// Smoothly interpolated random values on a grid of `cell` pixels, weighted and added to `image`:
// soft, cloudy shapes at one scale. Integer smoothstep, so it is exact everywhere.
void addValueNoise(QList<int> &image, Prng &prng, int cell, int weightSixteenths)
{
    const int points = BitmapSide / cell + 2;
    QList<int> grid(points * points);
    for (int &value : grid)
        value = prng.below(256) - 128;
    QList<int> eased(cell); // 0 .. 1024 across a cell, flat at both ends
    for (int t = 0; t < cell; ++t) {
        const qint64 s = qint64(t) * 1024 / cell;
        eased[t] = int(s * s * (3 * 1024 - 2 * s) / (1024 * 1024));
    }
    int *out = image.data();
    for (int y = 0; y < BitmapSide; ++y) {
        const int ty = eased[y % cell];
        const int *row = grid.constData() + (y / cell) * points;
        for (int x = 0; x < BitmapSide; ++x) {
            const int tx = eased[x % cell];
            const int *corner = row + x / cell;
            const int top = corner[0] * (1024 - tx) + corner[1] * tx;
            const int bottom = corner[points] * (1024 - tx) + corner[points + 1] * tx;
            const qint64 value = qint64(top) * (1024 - ty) + qint64(bottom) * ty;
            *out++ += int(value * weightSixteenths / (16 * 1024 * 1024));
        }
    }
}

// A disc brighter or darker by `delta`, with an edge fading over `edge` pixels.
void addDisc(QList<int> &image, int cx, int cy, int radius, int edge, int delta)
{
    const int reach = radius + edge;
    for (int y = qMax(0, cy - reach); y < qMin(BitmapSide, cy + reach); ++y) {
        int *row = image.data() + y * BitmapSide;
        for (int x = qMax(0, cx - reach); x < qMin(BitmapSide, cx + reach); ++x) {
            const int dx = x - cx;
            const int dy = y - cy;
            // The square root of an integer is exactly rounded (IEEE 754), so this is portable.
            const int distance = int(std::sqrt(double(dx * dx + dy * dy)));
            if (distance < radius)
                row[x] += delta;
            else if (distance < reach)
                row[x] += delta * (reach - distance) / edge;
        }
    }
}

// A synthetic photograph: a lit gradient, clouds of detail at several scales, a few soft-edged
// discs and a little sensor noise. It compresses about as badly as a real grayscale photo.
QByteArray bitmapPixels(Prng &prng)
{
    QList<int> image(BitmapSide * BitmapSide);
    for (int y = 0; y < BitmapSide; ++y) {
        for (int x = 0; x < BitmapSide; ++x)
            image[y * BitmapSide + x] = 70 + (x + 2 * y) * 100 / (3 * BitmapSide);
    }
    // Weights in 1/16: broad shapes strong, fine texture faint.
    addValueNoise(image, prng, 128, 12);
    addValueNoise(image, prng, 64, 6);
    addValueNoise(image, prng, 16, 4);
    addValueNoise(image, prng, 4, 2);
    for (int i = 0; i < 7; ++i) {
        const int cx = prng.below(BitmapSide);
        const int cy = prng.below(BitmapSide);
        const int radius = prng.between(25, 110);
        const int edge = prng.between(4, 24);
        addDisc(image, cx, cy, radius, edge, prng.between(-70, 70));
    }

    QByteArray pixels(BitmapSide * BitmapSide, Qt::Uninitialized);
    char *out = pixels.data();
    for (int value : std::as_const(image)) {
        const quint64 bits = prng.next();
        const int noise = int((bits & 0xffff) % 7) + int(((bits >> 16) & 0xffff) % 7) - 6; // peaked around zero
        *out++ = char(qBound(0, value + noise, 255));
    }
    return pixels;
}

// A BMP file as Windows writes it: file header, BITMAPINFOHEADER, grayscale palette, rows bottom up
// (512 bytes each, already a multiple of four, so no row padding).
QByteArray generateBitmap()
{
    Prng prng(0x424d502d3132322eULL);
    QByteArray bmp;
    bmp.reserve(BitmapSize);
    bmp += "BM";
    appendLe32(bmp, BitmapSize);
    appendLe16(bmp, 0);
    appendLe16(bmp, 0);
    appendLe32(bmp, BitmapHeaderBytes); // offset of the pixels
    appendLe32(bmp, 40); // BITMAPINFOHEADER
    appendLe32(bmp, BitmapSide);
    appendLe32(bmp, BitmapSide); // positive: bottom-up rows
    appendLe16(bmp, 1); // planes
    appendLe16(bmp, 8); // bits per pixel
    appendLe32(bmp, 0); // BI_RGB, uncompressed
    appendLe32(bmp, BitmapSide * BitmapSide);
    appendLe32(bmp, 2835); // 72 dpi, in pixels per metre
    appendLe32(bmp, 2835);
    appendLe32(bmp, 256); // colours used
    appendLe32(bmp, 256); // colours important
    for (int level = 0; level < 256; ++level) {
        for (int channel = 0; channel < 3; ++channel)
            bmp += char(level);
        bmp += '\0';
    }
    bmp += bitmapPixels(prng);
    Q_ASSERT(bmp.size() == BitmapSize);
    return bmp;
}

// --- Text -----------------------------------------------------------------------------------------

// Upper-cases a word's first letter, including ä, ö and ü (two bytes in UTF-8: 0xc3 0xa4 -> 0xc3
// 0x84 and so on); ß never starts a word.
QByteArray capitalizedGerman(const char *word)
{
    QByteArray text(word);
    if (text[0] >= 'a' && text[0] <= 'z')
        text[0] = char(text[0] - 'a' + 'A');
    else if (quint8(text[0]) == 0xc3 && text.size() > 1 && quint8(text[1]) >= 0xa0 && quint8(text[1]) <= 0xbe)
        text[1] = char(quint8(text[1]) - 0x20);
    return text;
}

const char *germanWord(Prng &prng)
{
    const int kind = prng.below(100);
    if (kind < 48)
        return prng.pick(GermanFunctionWords);
    if (kind < 76)
        return prng.pick(GermanNouns);
    return prng.pick(GermanOtherWords);
}

QByteArray verseLine(Prng &prng, bool lastOfStanza)
{
    QByteArray line = capitalizedGerman(germanWord(prng));
    const int count = prng.between(4, 8);
    for (int i = 1; i < count; ++i)
        line += ' ' + QByteArray(germanWord(prng));
    if (lastOfStanza) {
        const char *endings[] = { ".", ".", "!", "?" };
        line += prng.pick(endings);
    } else {
        const char *endings[] = { ",", ",", ",", "", "", ";", ".", "!", ":" };
        line += prng.pick(endings);
    }
    return line + '\n';
}

// Scenes of verse: a scene title now and then, a speaker, a stanza, sometimes a stage direction.
QByteArray generateText()
{
    Prng prng(0x4641555354313233ULL);
    QByteArray text;
    text.reserve(TextSize + 1024);
    while (text.size() < TextSize) {
        if (prng.chance(6)) {
            text += "\n" + capitalizedGerman(prng.pick(GermanNouns)) + ' ';
            text += QByteArray(prng.pick(GermanFunctionWords)) + ' ';
            text += capitalizedGerman(prng.pick(GermanNouns)) + ".\n\n";
        }
        text += QByteArray(prng.pick(Speakers)) + ":\n";
        if (prng.chance(20)) {
            text += "        (" + capitalizedGerman(germanWord(prng)) + ' ';
            text += QByteArray(germanWord(prng)) + ' ';
            text += QByteArray(prng.pick(GermanNouns)) + ".)\n";
        }
        const int lines = prng.between(2, 12);
        for (int i = 0; i < lines; ++i)
            text += verseLine(prng, i + 1 == lines);
        text += '\n';
    }
    text.truncate(TextSize); // may cut the last character in two: the set is sent as binary
    return text;
}

// --- HTML -----------------------------------------------------------------------------------------

QByteArray indent(int depth)
{
    return QByteArray(depth * 2, ' ');
}

QByteArray link(Prng &prng)
{
    const char *word = prng.pick(EnglishWords);
    const char *folder = prng.pick(EnglishWords);
    const char *style = prng.pick(EnglishWords);
    return "<a href=\"/" + QByteArray(folder) + '/' + word + ".html\" class=\"link link-" + style + "\" title=\""
        + capitalized(word) + "\">" + word + "</a>";
}

// A paragraph with inline markup, as a content management system renders it.
QByteArray paragraph(Prng &prng, int depth)
{
    QByteArray p = indent(depth) + "<p class=\"text\">";
    const int parts = prng.between(3, 8);
    for (int i = 0; i < parts; ++i) {
        if (i > 0)
            p += ' ';
        const int kind = prng.below(10);
        if (kind == 0)
            p += link(prng);
        else if (kind == 1)
            p += "<strong>" + words(prng, prng.between(1, 3)) + "</strong>";
        else if (kind == 2)
            p += "<em>" + words(prng, prng.between(1, 3)) + "</em>";
        else
            p += sentence(prng, 4, 14);
    }
    return p + "</p>\n";
}

QByteArray list(Prng &prng, int depth)
{
    const QByteArray tag = prng.chance(50) ? "ul" : "ol";
    QByteArray l = indent(depth) + '<' + tag + " class=\"list list-" + prng.pick(EnglishWords) + "\">\n";
    const int items = prng.between(3, 9);
    for (int i = 0; i < items; ++i) {
        l += indent(depth + 1) + "<li>" + (prng.chance(50) ? link(prng) : words(prng, prng.between(2, 6)));
        if (prng.chance(15)) {
            l += '\n' + list(prng, depth + 2) + indent(depth + 1);
        }
        l += "</li>\n";
    }
    return l + indent(depth) + "</" + tag + ">\n";
}

QByteArray table(Prng &prng, int depth)
{
    const int columns = prng.between(3, 6);
    QByteArray t = indent(depth) + "<table class=\"data-table\" id=\"table-" + prng.pick(EnglishWords) + "\">\n";
    t += indent(depth + 1) + "<thead>\n" + indent(depth + 2) + "<tr>\n";
    for (int c = 0; c < columns; ++c)
        t += indent(depth + 3) + "<th scope=\"col\">" + capitalized(prng.pick(EnglishWords)) + "</th>\n";
    t += indent(depth + 2) + "</tr>\n" + indent(depth + 1) + "</thead>\n" + indent(depth + 1) + "<tbody>\n";
    const int rows = prng.between(3, 12);
    for (int r = 0; r < rows; ++r) {
        t += indent(depth + 2) + (r % 2 ? "<tr class=\"odd\">\n" : "<tr class=\"even\">\n");
        for (int c = 0; c < columns; ++c) {
            t += indent(depth + 3) + "<td>";
            const int kind = prng.below(3);
            if (kind == 0)
                t += QByteArray::number(prng.between(0, 99999));
            else if (kind == 1)
                t += fixedPoint(prng.between(0, 1000000), 2);
            else
                t += words(prng, prng.between(1, 3));
            t += "</td>\n";
        }
        t += indent(depth + 2) + "</tr>\n";
    }
    return t + indent(depth + 1) + "</tbody>\n" + indent(depth) + "</table>\n";
}

// A section of the page: a heading and a mix of paragraphs, lists, tables and nested cards.
QByteArray section(Prng &prng, int depth, int nesting = 0)
{
    const char *name = prng.pick(EnglishWords);
    const int number = prng.below(1000);
    const char *role = prng.pick(EnglishWords);
    QByteArray s = indent(depth) + "<div class=\"section section-" + name + "\" id=\"" + name + '-'
        + QByteArray::number(number) + "\" data-role=\"" + role + "\">\n";
    s += indent(depth + 1) + "<h" + QByteArray::number(2 + nesting) + '>' + capitalized(name) + ' '
        + words(prng, prng.between(1, 3)) + "</h" + QByteArray::number(2 + nesting) + ">\n";
    const int blocks = prng.between(2, 6);
    for (int i = 0; i < blocks; ++i) {
        const int kind = prng.below(10);
        if (kind < 5)
            s += paragraph(prng, depth + 1);
        else if (kind < 7)
            s += list(prng, depth + 1);
        else if (kind < 8)
            s += table(prng, depth + 1);
        else if (nesting < 2)
            s += section(prng, depth + 1, nesting + 1);
        else
            s += paragraph(prng, depth + 1);
    }
    return s + indent(depth) + "</div>\n";
}

QByteArray htmlHead(Prng &prng)
{
    QByteArray h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n";
    h += "  <meta charset=\"utf-8\">\n";
    h += "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "  <meta name=\"description\" content=\"" + sentence(prng, 8, 14) + "\">\n";
    h += "  <title>" + capitalized(prng.pick(EnglishWords)) + ' ';
    h += words(prng, 3) + "</title>\n";
    h += "  <link rel=\"stylesheet\" href=\"/static/css/main.css\">\n";
    h += "  <style>\n";
    const char *properties[]
        = { "margin", "padding", "border-width", "font-size", "line-height", "width", "max-width", "gap" };
    for (int i = 0; i < 40; ++i) {
        h += QByteArray("    .") + prng.pick(EnglishWords) + '-';
        h += QByteArray(prng.pick(EnglishWords)) + " {\n";
        const int declarations = prng.between(2, 5);
        for (int d = 0; d < declarations; ++d) {
            h += QByteArray("      ") + prng.pick(properties) + ": ";
            h += QByteArray::number(prng.between(0, 48)) + "px;\n";
        }
        h += "      color: #" + QByteArray::number(prng.below(0x1000000), 16).rightJustified(6, '0') + ";\n";
        h += "    }\n";
    }
    h += "  </style>\n</head>\n";
    return h;
}

// A page like a large news or documentation site's. The body ends in a comment that pads the page
// to its exact size, so the document stays well formed.
QByteArray generateHtml()
{
    Prng prng(0x48544d4c2d313234ULL);
    QByteArray html = htmlHead(prng);
    html += "<body class=\"page page-" + QByteArray(prng.pick(EnglishWords)) + "\">\n";
    html += "  <header id=\"top\">\n    <nav class=\"main-nav\">\n      <ul>\n";
    for (int i = 0; i < 12; ++i)
        html += "        <li>" + link(prng) + "</li>\n";
    html += "      </ul>\n    </nav>\n  </header>\n  <main id=\"content\">\n";

    const QByteArray tail = "  </main>\n  <footer class=\"site-footer\">\n    <p>Generated test page.</p>\n"
                            "  </footer>\n</body>\n</html>\n";
    const QByteArray commentHead = "    <!-- ";
    const QByteArray commentTail = " -->\n";
    const qsizetype paddingOverhead = commentHead.size() + commentTail.size();
    for (;;) {
        const QByteArray block = section(prng, 2);
        if (html.size() + block.size() + paddingOverhead + tail.size() > HtmlSize)
            break;
        html += block;
    }
    html += commentHead;
    html += filler(prng, HtmlSize - html.size() - commentTail.size() - tail.size());
    html += commentTail + tail;
    Q_ASSERT(html.size() == HtmlSize);
    return html;
}

// --- PDF ------------------------------------------------------------------------------------------

constexpr int PdfPages = 12;

// A text content stream: lines of words, then the page's image placed below them.
QByteArray pageContent(Prng &prng)
{
    QByteArray content = "BT\n/F1 11 Tf\n14 TL\n72 720 Td\n";
    const int lines = prng.between(25, 45);
    for (int i = 0; i < lines; ++i)
        content += '(' + sentence(prng, 6, 12) + ") Tj T*\n";
    content += "ET\nq 468 0 0 " + QByteArray::number(prng.between(150, 300)) + " 72 72 cm /Im1 Do Q\n";
    return content;
}

// The whole document with the last image stream `lastImageBytes` long. The caller searches for the
// length that makes the document exactly PdfSize (the offsets in the xref table depend on it).
QByteArray buildPdf(qsizetype lastImageBytes)
{
    Prng prng(0x5044462d31323535ULL);
    QByteArray pdf;
    pdf.reserve(PdfSize + 4096);
    pdf += "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"; // the binary comment real writers add
    QList<qsizetype> offsets;
    const auto beginObject = [&]() {
        offsets.append(pdf.size());
        pdf += QByteArray::number(offsets.size()) + " 0 obj\n";
    };
    const auto endObject = [&]() { pdf += "endobj\n"; };

    // 1 catalog, 2 page tree, 3 font, 4 info; then per page: the page, its contents, its image.
    const auto pageObject = [](int page) { return 5 + 3 * page; };
    beginObject();
    pdf += "<< /Type /Catalog /Pages 2 0 R /PageLayout /OneColumn >>\n";
    endObject();
    beginObject();
    pdf += "<< /Type /Pages /Kids [";
    for (int page = 0; page < PdfPages; ++page)
        pdf += (page ? " " : "") + QByteArray::number(pageObject(page)) + " 0 R";
    pdf += "] /Count " + QByteArray::number(PdfPages) + " >>\n";
    endObject();
    beginObject();
    pdf += "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\n";
    endObject();
    beginObject();
    pdf += "<< /Title (" + capitalized(prng.pick(EnglishWords)) + ' ';
    pdf += words(prng, 3) + ") /Producer (Generated test document) /CreationDate (D:20150101000000Z) >>\n";
    endObject();

    for (int page = 0; page < PdfPages; ++page) {
        const int self = pageObject(page);
        beginObject();
        pdf += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]\n";
        pdf += "   /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 " + QByteArray::number(self + 2)
            + " 0 R >> >>\n";
        pdf += "   /Contents " + QByteArray::number(self + 1) + " 0 R >>\n";
        endObject();

        const QByteArray content = pageContent(prng);
        beginObject();
        pdf += "<< /Length " + QByteArray::number(content.size()) + " >>\nstream\n" + content + "\nendstream\n";
        endObject();

        // JPEG data is nearly incompressible: random bytes between a JPEG's start and end markers.
        const qsizetype imageBytes = page + 1 < PdfPages ? prng.between(75000, 95000) : lastImageBytes;
        const int width = prng.between(400, 1600);
        beginObject();
        pdf += "<< /Type /XObject /Subtype /Image /Width " + QByteArray::number(width) + " /Height "
            + QByteArray::number(width * 3 / 4)
            + " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length "
            + QByteArray::number(imageBytes) + " >>\nstream\n";
        const qsizetype dataAt = pdf.size();
        pdf.resize(dataAt + imageBytes);
        char *data = pdf.data() + dataAt;
        prng.fill(data, imageBytes);
        if (imageBytes >= 4) {
            data[0] = '\xff';
            data[1] = '\xd8';
            data[imageBytes - 2] = '\xff';
            data[imageBytes - 1] = '\xd9';
        }
        pdf += "\nendstream\n";
        endObject();
    }

    const qsizetype xrefAt = pdf.size();
    pdf += "xref\n0 " + QByteArray::number(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (qsizetype offset : std::as_const(offsets))
        pdf += QByteArray::number(offset).rightJustified(10, '0') + " 00000 n \n";
    QByteArray id(16, Qt::Uninitialized);
    prng.fill(id.data(), id.size());
    pdf += "trailer\n<< /Size " + QByteArray::number(offsets.size() + 1) + " /Root 1 0 R /Info 4 0 R /ID [<"
        + id.toHex() + "> <" + id.toHex() + ">] >>\nstartxref\n" + QByteArray::number(xrefAt) + "\n%%EOF\n";
    return pdf;
}

QByteArray generatePdf()
{
    // The size grows one for one with the last image, except where a number gains a digit: a few
    // rounds settle it.
    qsizetype lastImageBytes = 0;
    QByteArray pdf = buildPdf(lastImageBytes);
    while (pdf.size() != PdfSize) {
        lastImageBytes += PdfSize - pdf.size();
        Q_ASSERT(lastImageBytes > 0);
        pdf = buildPdf(lastImageBytes);
    }
    return pdf;
}

} // namespace

QList<Set> all()
{
    return { Set::Json, Set::Bitmap, Set::Text, Set::Html, Set::Pdf };
}

const QByteArray &bytes(Set set)
{
    // Function-local statics: built once, on first use, thread-safe since C++11.
    switch (set) {
    case Set::Json: {
        static const QByteArray json = generateJson();
        return json;
    }
    case Set::Bitmap: {
        static const QByteArray bitmap = generateBitmap();
        return bitmap;
    }
    case Set::Text: {
        static const QByteArray text = generateText();
        return text;
    }
    case Set::Html: {
        static const QByteArray html = generateHtml();
        return html;
    }
    case Set::Pdf:
        break;
    }
    static const QByteArray pdf = generatePdf();
    return pdf;
}

bool isBinary(Set set)
{
    return set == Set::Bitmap || set == Set::Text || set == Set::Pdf;
}

QString description(Set set)
{
    // The sizes are fixed: describing a set need not generate it.
    const qsizetype size = sizeOf(set);
    switch (set) {
    case Set::Json:
        return QCoreApplication::translate("Conformance", "Generated JSON records (text, %1 bytes)").arg(size);
    case Set::Bitmap:
        return QCoreApplication::translate("Conformance", "Generated 512x512 grayscale bitmap (binary, %1 bytes)")
            .arg(size);
    case Set::Text:
        return QCoreApplication::translate("Conformance", "Generated German verse, UTF-8 (binary, %1 bytes)").arg(size);
    case Set::Html:
        return QCoreApplication::translate("Conformance", "Generated HTML page (text, %1 bytes)").arg(size);
    case Set::Pdf:
        break;
    }
    return QCoreApplication::translate("Conformance", "Generated PDF-like document (binary, %1 bytes)").arg(size);
}

} // namespace Conformance::TestData
