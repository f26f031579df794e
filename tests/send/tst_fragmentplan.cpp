#include "send/fragmentplan.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using SplitBy = FragmentPlan::Options::SplitBy;

Q_DECLARE_METATYPE(SplitBy)

namespace {

// "text 0 68656c6c": opcode name, FIN, payload in hex; "ping" frames the same way.
QStringList describe(const FragmentPlan::Plan &plan)
{
    QStringList out;
    for (const FragmentPlan::PlannedFrame &f : plan.frames) {
        out << u"%1 %2 %3"_s.arg(Opcode::name(f.spec.opcode))
                   .arg(f.spec.fin ? 1 : 0)
                   .arg(QString::fromLatin1(f.spec.payload.toHex()));
    }
    return out;
}

FragmentPlan::Options options(quint8 opcode, const QByteArray &message, SplitBy by, int n)
{
    FragmentPlan::Options o;
    o.opcode = opcode;
    o.message = message;
    o.splitBy = by;
    if (by == SplitBy::Count)
        o.count = n;
    else
        o.size = n;
    return o;
}

} // namespace

class tst_FragmentPlan : public QObject {
    Q_OBJECT

private slots:
    void plans_data();
    void plans();
    void pingsBetween();
    void framesAreMaskedWithFreshKeys();
    void fragmentIndexes();
    void sizeModeMatchesFrameWriter_data();
    void sizeModeMatchesFrameWriter();
    void errors_data();
    void errors();
};

void tst_FragmentPlan::plans_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<SplitBy>("splitBy");
    QTest::addColumn<int>("n");
    QTest::addColumn<QStringList>("frames");
    QTest::addColumn<QStringList>("notes");

    const int text = Opcode::Text;
    const int binary = Opcode::Binary;
    const QStringList none;

    QTest::addRow("N=3, even as possible")
        << text << QByteArray("hello world") << SplitBy::Count << 3
        << QStringList { u"text 0 68656c6c"_s, u"continuation 0 6f20776f"_s, u"continuation 1 726c64"_s } << none;
    QTest::addRow("N=2 even") << binary << QByteArray("\x01\x02\x03\x04", 4) << SplitBy::Count << 2
                              << QStringList { u"binary 0 0102"_s, u"continuation 1 0304"_s } << none;
    QTest::addRow("N=1") << text << QByteArray("hi") << SplitBy::Count << 1 << QStringList { u"text 1 6869"_s }
                         << QStringList { u"One frame with FIN set: the message is not fragmented."_s };
    QTest::addRow("N over the size: empty fragments")
        << binary << QByteArray("abc") << SplitBy::Count << 5
        << QStringList { u"binary 0 61"_s, u"continuation 0 62"_s, u"continuation 0 63"_s, u"continuation 0 "_s,
               u"continuation 1 "_s }
        << QStringList { u"fragments 4 and 5 are empty: allowed, a fragment may carry no payload."_s };
    QTest::addRow("empty message, N=3")
        << text << QByteArray() << SplitBy::Count << 3
        << QStringList { u"text 0 "_s, u"continuation 0 "_s, u"continuation 1 "_s }
        << QStringList { u"fragments 1, 2 and 3 are empty: allowed, a fragment may carry no payload."_s };
    QTest::addRow("K=4") << text << QByteArray("hello world") << SplitBy::Size << 4
                         << QStringList { u"text 0 68656c6c"_s, u"continuation 0 6f20776f"_s,
                                u"continuation 1 726c64"_s }
                         << none;
    QTest::addRow("K exactly divides") << binary << QByteArray("abcd") << SplitBy::Size << 2
                                       << QStringList { u"binary 0 6162"_s, u"continuation 1 6364"_s } << none;
    QTest::addRow("K over the size") << text << QByteArray("hi") << SplitBy::Size << 100
                                     << QStringList { u"text 1 6869"_s }
                                     << QStringList { u"One frame with FIN set: the message is not fragmented."_s };
    QTest::addRow("empty message, K") << binary << QByteArray() << SplitBy::Size << 4 << QStringList { u"binary 1 "_s }
                                      << QStringList { u"One frame with FIN set: the message is not fragmented."_s };

    // UTF-8 split inside a code point: allowed, and said so.
    QTest::addRow("é split 1+1") << text << QByteArray("caf\xc3\xa9") << SplitBy::Size << 4
                                 << QStringList { u"text 0 636166c3"_s, u"continuation 1 a9"_s }
                                 << QStringList { u"Fragments 1 and 2 split U+00E9 (1 + 1 of its 2 bytes). Allowed: a "
                                                  u"server checks the UTF-8 of the whole message, not of each "
                                                  u"fragment (RFC 6455 §5.6, §8.1)."_s };
    QTest::addRow("€ split 1+2") << text << QByteArray("a\xe2\x82\xac") << SplitBy::Count << 2
                                 << QStringList { u"text 0 61e2"_s, u"continuation 1 82ac"_s }
                                 << QStringList { u"Fragments 1 and 2 split U+20AC (1 + 2 of its 3 bytes). Allowed: a "
                                                  u"server checks the UTF-8 of the whole message, not of each "
                                                  u"fragment (RFC 6455 §5.6, §8.1)."_s };
    const QString tail = u". Allowed: a server checks the UTF-8 of the whole message, not of each fragment (RFC 6455 "
                         u"§5.6, §8.1)."_s;
    QTest::addRow("emoji in 1-byte fragments")
        << text << QByteArray("\xf0\x9f\x98\x80") << SplitBy::Size << 1
        << QStringList { u"text 0 f0"_s, u"continuation 0 9f"_s, u"continuation 0 98"_s, u"continuation 1 80"_s }
        << QStringList { u"Fragments 1 and 2 split U+1F600 (1 + 3 of its 4 bytes)"_s + tail,
               u"Fragments 2 and 3 split U+1F600 (2 + 2 of its 4 bytes)"_s + tail,
               u"Fragments 3 and 4 split U+1F600 (3 + 1 of its 4 bytes)"_s + tail };
    // An empty fragment between the halves: the note names the fragments that hold the halves.
    QTest::addRow("é split around an empty fragment")
        << text << QByteArray("\xc3\xa9") << SplitBy::Count << 3
        << QStringList { u"text 0 c3"_s, u"continuation 0 a9"_s, u"continuation 1 "_s }
        << QStringList { u"Fragments 1 and 2 split U+00E9 (1 + 1 of its 2 bytes)"_s + tail,
               u"fragment 3 is empty: allowed, a fragment may carry no payload."_s };
    QTest::addRow("binary: no UTF-8 notes") << binary << QByteArray("caf\xc3\xa9") << SplitBy::Size << 4
                                            << QStringList { u"binary 0 636166c3"_s, u"continuation 1 a9"_s } << none;
    QTest::addRow("invalid UTF-8 text")
        << text << QByteArray("ab\xff") << SplitBy::Count << 2
        << QStringList { u"text 0 6162"_s, u"continuation 1 ff"_s }
        << QStringList { u"The text is not valid UTF-8: a strict server fails the connection with 1007 Invalid "
                         u"Payload Data (RFC 6455 §8.1)."_s };
}

void tst_FragmentPlan::plans()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, message);
    QFETCH(SplitBy, splitBy);
    QFETCH(int, n);
    QFETCH(QStringList, frames);
    QFETCH(QStringList, notes);

    const FragmentPlan::Plan plan = FragmentPlan::make(options(quint8(opcode), message, splitBy, n));
    QVERIFY2(plan.ok(), qPrintable(plan.error));
    QCOMPARE(describe(plan), frames);
    QCOMPARE(plan.notes, notes);
    QCOMPARE(plan.fragmentCount, frames.size());

    // The payloads put together are the message, byte for byte.
    QByteArray joined;
    for (const FrameSpec &spec : plan.specs())
        joined += spec.payload;
    QCOMPARE(joined, message);
}

void tst_FragmentPlan::pingsBetween()
{
    FragmentPlan::Options o = options(Opcode::Text, "abcdef", SplitBy::Count, 3);
    o.pingBetween = true;
    o.pingPayload = "hi";
    const FragmentPlan::Plan plan = FragmentPlan::make(o);
    QCOMPARE(describe(plan),
        (QStringList { u"text 0 6162"_s, u"ping 1 6869"_s, u"continuation 0 6364"_s, u"ping 1 6869"_s,
            u"continuation 1 6566"_s }));
    QCOMPARE(plan.fragmentCount, 3);

    // One fragment: nothing to put a ping between.
    o.count = 1;
    QCOMPARE(describe(FragmentPlan::make(o)), QStringList { u"text 1 616263646566"_s });
}

void tst_FragmentPlan::framesAreMaskedWithFreshKeys()
{
    FragmentPlan::Options o = options(Opcode::Binary, "abcdef", SplitBy::Size, 2);
    o.pingBetween = true;
    const FragmentPlan::Plan plan = FragmentPlan::make(o);
    QCOMPARE(plan.frames.size(), 5);
    for (const FragmentPlan::PlannedFrame &f : plan.frames) {
        QVERIFY(f.spec.mask);
        QVERIFY(!f.spec.maskingKey); // drawn per frame when sent
        QCOMPARE(f.spec.rsv, quint8(0));
        QCOMPARE(f.spec.lengthEncoding, FrameSpec::LengthEncoding::Minimal);
        QVERIFY(!f.spec.declaredLength);
    }
    o.mask = false;
    for (const FrameSpec &spec : FragmentPlan::make(o).specs())
        QVERIFY(!spec.mask);

    // Encoded with a fixed key, byte for byte.
    QByteArray wire;
    for (FrameSpec spec : plan.specs()) {
        spec.maskingKey = 0x01020304;
        wire += FrameWriter::encode(spec).bytes;
    }
    QCOMPARE(wire.toHex(' '),
        QByteArray("02 82 01 02 03 04 60 60 "
                   "89 80 01 02 03 04 "
                   "00 82 01 02 03 04 62 66 "
                   "89 80 01 02 03 04 "
                   "80 82 01 02 03 04 64 64"));
}

void tst_FragmentPlan::fragmentIndexes()
{
    FragmentPlan::Options o = options(Opcode::Text, "abc", SplitBy::Count, 3);
    o.pingBetween = true;
    QList<int> indexes;
    for (const FragmentPlan::PlannedFrame &f : FragmentPlan::make(o).frames)
        indexes << f.fragment;
    QCOMPARE(indexes, (QList<int> { 0, -1, 1, -1, 2 }));
}

void tst_FragmentPlan::sizeModeMatchesFrameWriter_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("k");
    for (int size : { 0, 1, 7, 64, 65 })
        for (int k : { 1, 3, 64 })
            QTest::addRow("%d bytes by %d", size, k) << size << k;
}

void tst_FragmentPlan::sizeModeMatchesFrameWriter()
{
    QFETCH(int, size);
    QFETCH(int, k);
    QByteArray message(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        message[i] = char(i);
    const QList<FrameSpec> expected = FrameWriter::fragment(Opcode::Binary, message, k, true);
    const QList<FrameSpec> got = FragmentPlan::make(options(Opcode::Binary, message, SplitBy::Size, k)).specs();
    QCOMPARE(got.size(), expected.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].opcode, expected[i].opcode);
        QCOMPARE(got[i].fin, expected[i].fin);
        QCOMPARE(got[i].payload, expected[i].payload);
    }
}

void tst_FragmentPlan::errors_data()
{
    QTest::addColumn<SplitBy>("splitBy");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("ping");
    QTest::addColumn<QString>("error");

    QTest::addRow("N=0") << SplitBy::Count << 0 << 10 << false << u"A message needs at least 1 fragment."_s;
    QTest::addRow("K=0") << SplitBy::Size << 0 << 10 << false << u"Fragments need a size of at least 1 byte."_s;
    QTest::addRow("N over the plan limit")
        << SplitBy::Count << 10001 << 10 << false
        << u"That makes 10001 frames; a plan holds at most 10000. Choose fewer or larger fragments."_s;
    QTest::addRow("pings push it over") << SplitBy::Size << 1 << 6000 << true
                                        << u"That makes 11999 frames; a plan holds at most 10000. Choose fewer or "
                                           u"larger fragments."_s;
    QTest::addRow("at the limit") << SplitBy::Size << 1 << 10000 << false << QString();
}

void tst_FragmentPlan::errors()
{
    QFETCH(SplitBy, splitBy);
    QFETCH(int, n);
    QFETCH(int, size);
    QFETCH(bool, ping);
    QFETCH(QString, error);

    FragmentPlan::Options o = options(Opcode::Binary, QByteArray(size, 'x'), splitBy, n);
    o.pingBetween = ping;
    const FragmentPlan::Plan plan = FragmentPlan::make(o);
    QCOMPARE(plan.error, error);
    QCOMPARE(plan.ok(), error.isEmpty());
    if (!plan.ok())
        QVERIFY(plan.frames.isEmpty());
}

QTEST_GUILESS_MAIN(tst_FragmentPlan)
#include "tst_fragmentplan.moc"
