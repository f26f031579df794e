// Section 6 of the conformance catalogue: UTF-8 in text messages (RFC 6455 §8.1) - valid text split
// on and inside code points, invalid text, failing fast, and the groups of Markus Kuhn's UTF-8
// decoder test (overlongs, surrogates, lonely and missing bytes, non-characters).

#include "probe/conformancebuild.h"

namespace Conformance::Build {

namespace {

// "κόσμε", the Greek word the UTF-8 tests are built around (five code points, eleven bytes).
const QByteArray Kosme = QByteArray::fromHex("cebae1bdb9cf83cebcceb5");
// κόσμε, a lone surrogate U+D800 (not allowed in UTF-8), "edited".
const QByteArray KosmeSurrogateEdited = Kosme + QByteArray::fromHex("eda080") + QByteArrayLiteral("edited");
// κόσμε, then U+110000 (beyond Unicode; the sequence goes wrong at its second byte, the 12th of the
// message), then "edited".
const QByteArray KosmeBeyondUnicode = QByteArray::fromHex("f4908080");

struct Sequence {
    bool valid;
    QByteArray bytes;
};

struct Group {
    QString title;
    QList<Sequence> sequences;
};

QByteArray hex(const char *digits)
{
    return QByteArray::fromHex(digits);
}

QList<Sequence> all(bool valid, std::initializer_list<const char *> hexes)
{
    QList<Sequence> list;
    for (const char *h : hexes)
        list.append({ valid, hex(h) });
    return list;
}

// Each lead byte in [from, to) followed by a space.
QByteArray lonelyStarts(int from, int to)
{
    QByteArray bytes;
    for (int b = from; b < to; ++b)
        bytes.append(char(b)).append(' ');
    return bytes;
}

QList<Group> kuhnGroups()
{
    QList<Group> groups;
    groups.append({ Tr::tr("Some valid UTF-8 sequences"),
                    { { true, QByteArrayLiteral("hello$world") },
                      { true, "hello" + hex("c2a2") + "world" },
                      { true, "hello" + hex("e282ac") + "world" },
                      { true, "hello" + hex("f0a4ada2") + "world" },
                      { true, Kosme } } });
    Group prefixes { Tr::tr("All prefixes of a valid UTF-8 string with multi-byte code points"), {} };
    const QList<int> codePointEnds { 2, 5, 7, 9, 11 };
    for (int i = 1; i <= Kosme.size(); ++i)
        prefixes.sequences.append({ codePointEnds.contains(i), Kosme.left(i) });
    groups.append(prefixes);
    groups.append({ Tr::tr("First possible sequence of each length"), all(true, { "00", "c280", "e0a080", "f0908080" }) });
    groups.append({ Tr::tr("First possible sequence of length 5 and 6 (not UTF-8)"),
                    all(false, { "f888808080", "fc8480808080" }) });
    groups.append({ Tr::tr("Last possible sequence of each length"), all(true, { "7f", "dfbf", "efbfbf", "f48fbfbf" }) });
    groups.append({ Tr::tr("Last possible sequence of length 4, 5 and 6 (beyond Unicode)"),
                    all(false, { "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf" }) });
    groups.append({ Tr::tr("Other boundary conditions"),
                    all(true, { "ed9fbf", "ee8080", "efbfbd", "f48fbfbf" }) + all(false, { "f4908080" }) });
    Group continuations { Tr::tr("Unexpected continuation bytes"),
                          all(false, { "80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf" }) };
    QByteArray run;
    for (int b = 0x80; b < 0xbf; ++b)
        run.append(char(b));
    continuations.sequences.append({ false, run });
    groups.append(continuations);
    groups.append({ Tr::tr("Lonely start bytes"),
                    { { false, lonelyStarts(0xc0, 0xdf) },
                      { false, lonelyStarts(0xe0, 0xef) },
                      { false, lonelyStarts(0xf0, 0xf7) },
                      { false, lonelyStarts(0xf8, 0xfb) },
                      { false, lonelyStarts(0xfc, 0xfd) } } });
    const std::initializer_list<const char *> truncated { "c0", "e080", "f08080", "f8808080", "fc80808080",
                                                           "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf" };
    groups.append({ Tr::tr("Sequences with their last continuation byte missing"), all(false, truncated) });
    QByteArray concatenated;
    for (const char *h : truncated)
        concatenated += hex(h);
    groups.append({ Tr::tr("Concatenation of incomplete sequences"), { { false, concatenated } } });
    groups.append({ Tr::tr("Impossible bytes"), all(false, { "fe", "ff", "fefeffff" }) });
    groups.append({ Tr::tr("Overlong forms of an ASCII character"),
                    all(false, { "c0af", "e080af", "f08080af", "f8808080af", "fc80808080af" }) });
    groups.append({ Tr::tr("Longest overlong sequences"),
                    all(false, { "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf" }) });
    groups.append({ Tr::tr("Overlong forms of the NUL character"),
                    all(false, { "c080", "e08080", "f0808080", "f880808080", "fc8080808080" }) });
    groups.append({ Tr::tr("Single UTF-16 surrogates"),
                    all(false, { "eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf" }) });
    groups.append({ Tr::tr("Paired UTF-16 surrogates"),
                    all(false, { "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080",
                                 "edae80edbfbf", "edafbfedb080", "edafbfedbfbf" }) });
    // Non-characters are valid UTF-8: U+FFFE, U+FFFF and the last two code points of planes 1 to 16.
    Group nonCharacters { Tr::tr("Non-character code points (valid UTF-8)"), all(true, { "efbfbe", "efbfbf" }) };
    for (int lead = 0xf0; lead <= 0xf4; ++lead)
        for (int second : { 0x8f, 0x9f, 0xaf, 0xbf }) {
            if (lead == 0xf4 && second != 0x8f)
                continue; // beyond U+10FFFF
            if (lead == 0xf0 && second == 0x8f)
                continue; // overlong (plane 0, already above)
            for (int last : { 0xbe, 0xbf }) {
                const char bytes[] = { char(lead), char(second), '\xbf', char(last) };
                nonCharacters.sequences.append({ true, QByteArray(bytes, 4) });
            }
        }
    groups.append(nonCharacters);
    groups.append({ Tr::tr("Unicode specials, the replacement character among them"),
                    all(true, { "efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf" }) });
    return groups;
}

Case validText(const QString &id, const QString &description, QList<Step> steps, const QByteArray &message)
{
    return makeCase(id, description, Tr::tr("The message comes back unchanged; the tester then closes with 1000."),
                    std::move(steps), { Event::text(message) }, normalClose(), closeAfter(1000));
}

const char *const FailsWith1007 = QT_TRANSLATE_NOOP("ConformanceCatalogue",
                                                "The peer fails the connection with 1007 (RFC 6455 §8.1: text must be "
                                                "valid UTF-8). A peer that never closes did not notice: that fails the "
                                                "case too.");

Case invalidText(const QString &id, const QString &description, QList<Step> steps, int dropMs = 1000)
{
    return makeCase(id, description, Tr::tr(FailsWith1007), std::move(steps), {}, peerFails({ 1007 }, true),
                    dropAfter(dropMs));
}

// 6.4.x: a message that turns invalid in its second part, sent in three parts a second apart. A
// strict peer fails the connection as soon as the second part arrives (pause A runs out, B never);
// one that waits for the whole message before checking is NON-STRICT.
Case failFast(const QString &id, const QString &description, QList<Step> steps)
{
    Case c = makeCase(id, description,
                      Tr::tr("The peer fails the connection with 1007 as soon as the part that makes the text invalid "
                             "arrives, before the last part (fail fast, RFC 6455 §8.1); failing only at the end is "
                             "NON-STRICT."),
                      std::move(steps), { Event::timeout("A") }, peerFails({ 1007 }, true), dropAfter(1000));
    c.expected.append({ Verdict::NonStrict, { Event::timeout("A"), Event::timeout("B") } });
    return c;
}

} // namespace

QList<Case> utf8()
{
    QList<Case> cases;
    cases << validText(QStringLiteral("6.1.1"), Tr::tr("A text message of length 0."),
                       { send(frame(Opcode::Text)) }, {});
    cases << validText(QStringLiteral("6.1.2"), Tr::tr("A text message in three fragments, each empty."),
                       { send(frame(Opcode::Text, {}, false)), send(frame(Opcode::Continuation, {}, false)),
                         send(frame(Opcode::Continuation, {}, true)) },
                       {});
    cases << validText(QStringLiteral("6.1.3"), Tr::tr("A text message in three fragments, only the middle one with payload."),
                       { send(frame(Opcode::Text, {}, false)),
                         send(frame(Opcode::Continuation, QByteArrayLiteral("middle frame payload"), false)),
                         send(frame(Opcode::Continuation, {}, true)) },
                       QByteArrayLiteral("middle frame payload"));

    const QByteArray greeting = QByteArrayLiteral("Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!");
    cases << validText(QStringLiteral("6.2.1"), Tr::tr("Valid UTF-8 with multi-byte code points in one frame."),
                       message(Opcode::Text, greeting), greeting);
    const qsizetype onBoundary = greeting.indexOf("\xc3\xbc");
    cases << validText(QStringLiteral("6.2.2"), Tr::tr("Valid UTF-8 in two fragments split on a code point boundary."),
                       { send(frame(Opcode::Text, greeting.left(onBoundary), false)),
                         send(frame(Opcode::Continuation, greeting.mid(onBoundary), true)) },
                       greeting);
    cases << validText(QStringLiteral("6.2.3"),
                       Tr::tr("Valid UTF-8 in fragments of one byte, so that fragments end inside code points."),
                       message(Opcode::Text, greeting, 1), greeting);
    cases << validText(QStringLiteral("6.2.4"), Tr::tr("\"κόσμε\" in fragments of one byte."), message(Opcode::Text, Kosme, 1),
                       Kosme);

    cases << invalidText(QStringLiteral("6.3.1"), Tr::tr("Invalid UTF-8 (a lone surrogate) in one frame."),
                         message(Opcode::Text, KosmeSurrogateEdited));
    cases << invalidText(QStringLiteral("6.3.2"), Tr::tr("Invalid UTF-8 (a lone surrogate) in fragments of one byte."),
                         message(Opcode::Text, KosmeSurrogateEdited, 1));

    const QByteArray tail = QByteArrayLiteral("edited");
    const QByteArray whole = Kosme + KosmeBeyondUnicode + tail;
    cases << failFast(QStringLiteral("6.4.1"),
                      Tr::tr("Three fragments a second apart: \"κόσμε\", then U+110000 (not a code point), then "
                             "\"edited\"."),
                      { send(frame(Opcode::Text, Kosme, false)), pause(1000, "A"),
                        send(frame(Opcode::Continuation, KosmeBeyondUnicode, false)), pause(1000, "B"),
                        send(frame(Opcode::Continuation, tail, true)) });
    cases << failFast(QStringLiteral("6.4.2"),
                      Tr::tr("As 6.4.1, but the second fragment is only the byte that makes the text invalid."),
                      { send(frame(Opcode::Text, whole.left(12), false)), pause(1000, "A"),
                        send(frame(Opcode::Continuation, whole.mid(12, 1), false)), pause(1000, "B"),
                        send(frame(Opcode::Continuation, whole.mid(13), true)) });
    const FrameSpec oneFrame = frame(Opcode::Text, whole);
    cases << failFast(QStringLiteral("6.4.3"),
                      Tr::tr("As 6.4.1, but one frame whose payload is written in three parts a second apart."),
                      { sendPart(oneFrame, Kosme.size()), pause(1000, "A"), continuePart(KosmeBeyondUnicode.size()),
                        pause(1000, "B"), continuePart() });
    cases << failFast(QStringLiteral("6.4.4"),
                      Tr::tr("As 6.4.2, but one frame whose payload is written in three parts a second apart."),
                      { sendPart(oneFrame, 12), pause(1000, "A"), continuePart(1), pause(1000, "B"), continuePart() });

    int groupNumber = 5;
    for (const Group &group : kuhnGroups()) {
        int n = 1;
        for (const Sequence &s : group.sequences) {
            const QString id = QStringLiteral("6.%1.%2").arg(groupNumber).arg(n++);
            const QString description = Tr::tr("%1: a text message whose payload is %2 (%3).")
                                            .arg(group.title, QString::fromLatin1(s.bytes.toHex(' ')),
                                                 s.valid ? Tr::tr("valid UTF-8") : Tr::tr("not UTF-8"));
            Case c = s.valid ? validText(id, description, message(Opcode::Text, s.bytes), s.bytes)
                             : invalidText(id, description, message(Opcode::Text, s.bytes), 500);
            if (s.valid)
                c.ending = dropAfter(500);
            cases << c;
        }
        ++groupNumber;
    }
    return cases;
}

QString utf8GroupTitle(int group)
{
    const QList<Group> groups = kuhnGroups();
    return group >= 5 && group - 5 < groups.size() ? groups.at(group - 5).title : QString();
}

} // namespace Conformance::Build
