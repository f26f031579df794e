#include "protocol/frameparser.h"
#include "protocol/framewriter.h"

#include <QtTest>

using Enc = FrameSpec::LengthEncoding;

Q_DECLARE_METATYPE(FrameSpec::LengthEncoding)

namespace {

FrameSpec spec(quint8 opcode, const QByteArray &payload, std::optional<quint32> key, bool fin = true)
{
    FrameSpec s;
    s.opcode = opcode;
    s.payload = payload;
    s.fin = fin;
    s.mask = key.has_value();
    s.maskingKey = key;
    return s;
}

} // namespace

class tst_FrameWriter : public QObject {
    Q_OBJECT

private slots:
    void rfcExamples_data();
    void rfcExamples();
    void lengthForms_data();
    void lengthForms();
    void declaredLengthOverride_data();
    void declaredLengthOverride();
    void firstByte_data();
    void firstByte();
    void unmaskedIgnoresKey();
    void randomKey();
    void writeHeaderMatchesEncode_data();
    void writeHeaderMatchesEncode();
    void fragment_data();
    void fragment();
    void closePayload_data();
    void closePayload();
    void roundTripThroughParser();
};

void tst_FrameWriter::rfcExamples_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("headerSize");

    const QByteArray hello = QByteArrayLiteral("Hello");
    // RFC 6455 §5.7, byte for byte.
    QTest::addRow("unmasked Hello") << 1 << true << hello << false << QByteArray::fromHex("810548656c6c6f") << 2;
    QTest::addRow("masked Hello") << 1 << true << hello << true << QByteArray::fromHex("818537fa213d7f9f4d5158") << 6;
    QTest::addRow("fragment Hel") << 1 << false << QByteArrayLiteral("Hel") << false
                                  << QByteArray::fromHex("010348656c") << 2;
    QTest::addRow("fragment lo") << 0 << true << QByteArrayLiteral("lo") << false << QByteArray::fromHex("80026c6f")
                                 << 2;
    QTest::addRow("unmasked ping Hello") << 9 << true << hello << false << QByteArray::fromHex("890548656c6c6f") << 2;
    QTest::addRow("masked pong Hello") << 10 << true << hello << true << QByteArray::fromHex("8a8537fa213d7f9f4d5158")
                                       << 6;
    QTest::addRow("256 bytes binary") << 2 << true << QByteArray(256, 'x') << false
                                      << (QByteArray::fromHex("827e0100") + QByteArray(256, 'x')) << 4;
    QTest::addRow("64KiB binary") << 2 << true << QByteArray(65536, 'y') << false
                                  << (QByteArray::fromHex("827f0000000000010000") + QByteArray(65536, 'y')) << 10;
}

void tst_FrameWriter::rfcExamples()
{
    QFETCH(int, opcode);
    QFETCH(bool, fin);
    QFETCH(QByteArray, payload);
    QFETCH(bool, mask);
    QFETCH(QByteArray, wire);
    QFETCH(int, headerSize);

    const EncodedFrame frame = FrameWriter::encode(
        spec(quint8(opcode), payload, mask ? std::optional<quint32>(0x37fa213d) : std::nullopt, fin));
    QCOMPARE(frame.bytes, wire);
    QCOMPARE(frame.headerSize, headerSize);
    QCOMPARE(frame.header().toByteArray(), wire.first(headerSize));
    QCOMPARE(frame.maskingKey, mask ? quint32(0x37fa213d) : quint32(0));
}

void tst_FrameWriter::lengthForms_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<Enc>("encoding");
    QTest::addColumn<QByteArray>("header");

    QTest::addRow("0 minimal") << 0 << Enc::Minimal << QByteArray::fromHex("8200");
    QTest::addRow("125 minimal") << 125 << Enc::Minimal << QByteArray::fromHex("827d");
    QTest::addRow("126 minimal") << 126 << Enc::Minimal << QByteArray::fromHex("827e007e");
    QTest::addRow("65535 minimal") << 65535 << Enc::Minimal << QByteArray::fromHex("827effff");
    QTest::addRow("65536 minimal") << 65536 << Enc::Minimal << QByteArray::fromHex("827f0000000000010000");
    QTest::addRow("0 force16") << 0 << Enc::Force16 << QByteArray::fromHex("827e0000");
    QTest::addRow("5 force16") << 5 << Enc::Force16 << QByteArray::fromHex("827e0005");
    QTest::addRow("125 force16") << 125 << Enc::Force16 << QByteArray::fromHex("827e007d");
    QTest::addRow("5 force64") << 5 << Enc::Force64 << QByteArray::fromHex("827f0000000000000005");
    QTest::addRow("300 force64") << 300 << Enc::Force64 << QByteArray::fromHex("827f000000000000012c");
    QTest::addRow("65535 force64") << 65535 << Enc::Force64 << QByteArray::fromHex("827f000000000000ffff");
    // Force16 with a length 16 bits cannot hold: the caller asked for a lying header, it gets one.
    QTest::addRow("65537 force16 truncates") << 65537 << Enc::Force16 << QByteArray::fromHex("827e0001");
}

void tst_FrameWriter::lengthForms()
{
    QFETCH(int, size);
    QFETCH(Enc, encoding);
    QFETCH(QByteArray, header);
    FrameSpec s = spec(Opcode::Binary, QByteArray(size, 'z'), std::nullopt);
    s.lengthEncoding = encoding;
    const EncodedFrame frame = FrameWriter::encode(s);
    QCOMPARE(frame.header().toByteArray(), header);
    QCOMPARE(frame.bytes.size(), header.size() + size);
    QCOMPARE(frame.bytes.sliced(header.size()), QByteArray(size, 'z'));
}

void tst_FrameWriter::declaredLengthOverride_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<quint64>("declared");
    QTest::addColumn<Enc>("encoding");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QByteArray>("wire");

    QTest::addRow("claims 10, sends 5") << QByteArrayLiteral("Hello") << quint64(10) << Enc::Minimal << false
                                        << QByteArray::fromHex("810a48656c6c6f");
    QTest::addRow("claims 0, sends 5") << QByteArrayLiteral("Hello") << quint64(0) << Enc::Minimal << false
                                       << QByteArray::fromHex("810048656c6c6f");
    QTest::addRow("claims 200 minimal") << QByteArrayLiteral("Hi") << quint64(200) << Enc::Minimal << false
                                        << QByteArray::fromHex("817e00c84869");
    QTest::addRow("claims 2^40") << QByteArrayLiteral("Hi") << (quint64(1) << 40) << Enc::Minimal << false
                                 << QByteArray::fromHex("817f00000100000000004869");
    QTest::addRow("claims top bit") << QByteArray() << quint64(0x8000000000000000ull) << Enc::Minimal << false
                                    << QByteArray::fromHex("817f8000000000000000");
    QTest::addRow("masked claims 126 in force64") << QByteArrayLiteral("Hello") << quint64(126) << Enc::Force64 << true
                                                  << QByteArray::fromHex("81ff000000000000007e37fa213d7f9f4d5158");
}

void tst_FrameWriter::declaredLengthOverride()
{
    QFETCH(QByteArray, payload);
    QFETCH(quint64, declared);
    QFETCH(Enc, encoding);
    QFETCH(bool, mask);
    FrameSpec s = spec(Opcode::Text, payload, mask ? std::optional<quint32>(0x37fa213d) : std::nullopt);
    s.declaredLength = declared;
    s.lengthEncoding = encoding;
    QTEST(FrameWriter::encode(s).bytes, "wire");
}

void tst_FrameWriter::firstByte_data()
{
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("rsv");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("header");
    for (int op = 0; op < 16; ++op) {
        for (int rsv = 0; rsv < 8; ++rsv) {
            for (bool fin : { false, true }) {
                const char bytes[2] = { char((fin ? 0x80 : 0) | (rsv << 4) | op), 0 };
                QTest::addRow("op %d rsv %d fin %d", op, rsv, int(fin)) << fin << rsv << op << QByteArray(bytes, 2);
            }
        }
    }
}

void tst_FrameWriter::firstByte()
{
    QFETCH(bool, fin);
    QFETCH(int, rsv);
    QFETCH(int, opcode);
    FrameSpec s = spec(quint8(opcode), QByteArray(), std::nullopt, fin);
    s.rsv = quint8(rsv);
    QTEST(FrameWriter::encode(s).bytes, "header");
}

void tst_FrameWriter::unmaskedIgnoresKey()
{
    FrameSpec s = spec(Opcode::Text, QByteArrayLiteral("Hello"), std::nullopt);
    s.maskingKey = 0x37fa213d; // given but mask is off: an unmasked frame carries no key
    s.mask = false;
    const EncodedFrame frame = FrameWriter::encode(s);
    QCOMPARE(frame.bytes, QByteArray::fromHex("810548656c6c6f"));
    QCOMPARE(frame.maskingKey, quint32(0));
}

void tst_FrameWriter::randomKey()
{
    FrameSpec s = spec(Opcode::Text, QByteArrayLiteral("Hello, masking"), std::nullopt);
    s.mask = true;
    QSet<quint32> keys;
    for (int i = 0; i < 32; ++i) {
        const EncodedFrame frame = FrameWriter::encode(s);
        QCOMPARE(frame.headerSize, 6);
        QCOMPARE(quint8(frame.bytes[1]), quint8(0x80 | 14));
        const auto *k = reinterpret_cast<const uchar *>(frame.bytes.constData() + 2);
        const quint32 written = (quint32(k[0]) << 24) | (quint32(k[1]) << 16) | (quint32(k[2]) << 8) | k[3];
        QCOMPARE(written, frame.maskingKey);
        QCOMPARE(frame.bytes.sliced(6), masked(s.payload, frame.maskingKey));
        keys.insert(frame.maskingKey);
    }
    // 32 draws from a good 32-bit source practically never collide more than once.
    QVERIFY(keys.size() >= 31);
}

void tst_FrameWriter::writeHeaderMatchesEncode_data()
{
    QTest::addColumn<quint64>("size");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QByteArray>("header");
    QTest::addRow("0") << quint64(0) << false << QByteArray::fromHex("8100");
    QTest::addRow("125") << quint64(125) << false << QByteArray::fromHex("817d");
    QTest::addRow("126") << quint64(126) << false << QByteArray::fromHex("817e007e");
    QTest::addRow("65535 masked") << quint64(65535) << true << QByteArray::fromHex("81feffff37fa213d");
    QTest::addRow("65536") << quint64(65536) << false << QByteArray::fromHex("817f0000000000010000");
    QTest::addRow("2^40 masked") << (quint64(1) << 40) << true << QByteArray::fromHex("81ff000001000000000037fa213d");
}

void tst_FrameWriter::writeHeaderMatchesEncode()
{
    QFETCH(quint64, size);
    QFETCH(bool, mask);
    QFETCH(QByteArray, header);
    char out[14];
    std::memset(out, 0x55, sizeof out);
    const int n = FrameWriter::writeHeader(out, true, 0, Opcode::Text, size, mask, 0x37fa213d);
    QCOMPARE(QByteArray(out, n), header);

    FrameSpec s = spec(Opcode::Text, QByteArray(), mask ? std::optional<quint32>(0x37fa213d) : std::nullopt);
    s.declaredLength = size;
    QCOMPARE(FrameWriter::encode(s).bytes, header);
}

void tst_FrameWriter::fragment_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("fragmentSize");
    QTest::addColumn<QList<QByteArray>>("wire"); // unmasked encodings

    QTest::addRow("Hello in 3s, like the RFC")
        << 1 << QByteArrayLiteral("Hello") << 3
        << QList<QByteArray> { QByteArray::fromHex("010348656c"), QByteArray::fromHex("80026c6f") };
    QTest::addRow("Hello in 1s") << 1 << QByteArrayLiteral("Hello") << 1
                                 << QList<QByteArray> { QByteArray::fromHex("010148"), QByteArray::fromHex("000165"),
                                        QByteArray::fromHex("00016c"), QByteArray::fromHex("00016c"),
                                        QByteArray::fromHex("80016f") };
    QTest::addRow("exact multiple") << 2 << QByteArray::fromHex("01020304") << 2
                                    << QList<QByteArray> { QByteArray::fromHex("02020102"),
                                           QByteArray::fromHex("80020304") };
    QTest::addRow("fits one frame") << 2 << QByteArray::fromHex("0102") << 2
                                    << QList<QByteArray> { QByteArray::fromHex("82020102") };
    QTest::addRow("size 0 means one frame")
        << 1 << QByteArrayLiteral("Hello") << 0 << QList<QByteArray> { QByteArray::fromHex("810548656c6c6f") };
    QTest::addRow("negative size means one frame")
        << 1 << QByteArrayLiteral("Hi") << -1 << QList<QByteArray> { QByteArray::fromHex("81024869") };
    QTest::addRow("empty message") << 1 << QByteArray() << 4 << QList<QByteArray> { QByteArray::fromHex("8100") };
    QTest::addRow("empty binary size 0") << 2 << QByteArray() << 0 << QList<QByteArray> { QByteArray::fromHex("8200") };
}

void tst_FrameWriter::fragment()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, message);
    QFETCH(int, fragmentSize);
    QFETCH(QList<QByteArray>, wire);

    const QList<FrameSpec> unmaskedFrames = FrameWriter::fragment(quint8(opcode), message, fragmentSize, false);
    QCOMPARE(unmaskedFrames.size(), wire.size());
    for (int i = 0; i < unmaskedFrames.size(); ++i) {
        QCOMPARE(unmaskedFrames[i].mask, false);
        QCOMPARE(FrameWriter::encode(unmaskedFrames[i]).bytes, wire[i]);
    }

    const QList<FrameSpec> maskedFrames = FrameWriter::fragment(quint8(opcode), message, fragmentSize, true);
    QCOMPARE(maskedFrames.size(), wire.size());
    QByteArray joined;
    for (int i = 0; i < maskedFrames.size(); ++i) {
        QVERIFY(maskedFrames[i].mask);
        QCOMPARE(maskedFrames[i].fin, i == maskedFrames.size() - 1);
        QCOMPARE(int(maskedFrames[i].opcode), i == 0 ? opcode : 0);
        joined += maskedFrames[i].payload;
    }
    QCOMPARE(joined, message);
}

void tst_FrameWriter::closePayload_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("payload");
    QTest::addRow("1000") << 1000 << QByteArray() << QByteArray::fromHex("03e8");
    QTest::addRow("1001 bye") << 1001 << QByteArrayLiteral("bye") << QByteArray::fromHex("03e9627965");
    QTest::addRow("4999 utf8") << 4999 << QByteArray::fromHex("cebae1bdb9cf83cebcceb5")
                               << QByteArray::fromHex("1387cebae1bdb9cf83cebcceb5");
    QTest::addRow("invalid code and reason kept") << 1005 << QByteArray::fromHex("ff") << QByteArray::fromHex("03edff");
    QTest::addRow("long reason not truncated")
        << 1000 << QByteArray(200, 'r') << (QByteArray::fromHex("03e8") + QByteArray(200, 'r'));
}

void tst_FrameWriter::closePayload()
{
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    QTEST(FrameWriter::closePayload(quint16(code), reason), "payload");
}

namespace {

struct Captured {
    FrameHeader header;
    QByteArray headerBytes;
    QByteArray payload;
    QByteArray maskedPayload;
};

class Capture : public FrameParserHandler {
public:
    QList<Captured> frames;
    QList<Violation> violations;
    void onFrame(const ParsedFrame &f) override
    {
        frames.append(
            { f.header, f.headerBytes.toByteArray(), f.payload.toByteArray(), f.maskedPayload.toByteArray() });
    }
    void onMessage(quint8, QByteArrayView, int) override { }
    void onViolation(const Violation &v, QByteArrayView) override { violations.append(v); }
};

} // namespace

// Whatever the writer produces, valid or not, the parser reads back field by field.
void tst_FrameWriter::roundTripThroughParser()
{
    QRandomGenerator rng(6455);
    QList<FrameSpec> specs;
    QByteArray stream;
    for (int i = 0; i < 300; ++i) {
        FrameSpec s;
        s.fin = rng.bounded(2);
        s.rsv = quint8(rng.bounded(8));
        s.opcode = quint8(rng.bounded(16));
        s.mask = rng.bounded(4) != 0;
        if (s.mask && rng.bounded(2))
            s.maskingKey = rng.generate();
        s.lengthEncoding = Enc(rng.bounded(3));
        const int sizes[] = { 0, 1, 5, 125, 126, 127, 300, 65535, 65536, 70000 };
        const int size = sizes[rng.bounded(int(std::size(sizes)))];
        s.payload.resize(size);
        for (char &c : s.payload)
            c = char(rng.bounded(256));
        if (s.lengthEncoding == Enc::Force16 && size > 65535)
            s.lengthEncoding = Enc::Force64;
        const EncodedFrame e = FrameWriter::encode(s);
        if (s.mask)
            s.maskingKey = e.maskingKey;
        specs.append(s);
        stream += e.bytes;
    }

    Capture capture;
    FrameParser parser(FrameParser::Role::Server, &capture);
    parser.setKeepMaskedPayload(true);
    parser.feed(stream);
    QVERIFY(!parser.isStopped());
    QCOMPARE(parser.pendingBytes(), 0);
    QCOMPARE(capture.frames.size(), specs.size());
    for (int i = 0; i < specs.size(); ++i) {
        const FrameSpec &s = specs[i];
        const Captured &c = capture.frames[i];
        QCOMPARE(c.header.fin, s.fin);
        QCOMPARE(c.header.rsv, s.rsv);
        QCOMPARE(c.header.opcode, s.opcode);
        QCOMPARE(c.header.masked, s.mask);
        QCOMPARE(c.header.maskingKey, s.mask ? *s.maskingKey : 0u);
        QCOMPARE(c.header.declaredLength, quint64(s.payload.size()));
        QCOMPARE(c.payload, s.payload);
        QCOMPARE(c.maskedPayload, s.mask ? masked(s.payload, *s.maskingKey) : QByteArray());
        const LengthForm expectedForm = s.lengthEncoding == Enc::Force16 ? LengthForm::Extended16
            : s.lengthEncoding == Enc::Force64                           ? LengthForm::Extended64
            : s.payload.size() < 126                                     ? LengthForm::Short7
            : s.payload.size() <= 65535                                  ? LengthForm::Extended16
                                                                         : LengthForm::Extended64;
        QCOMPARE(c.header.lengthForm, expectedForm);
    }
    QVERIFY(!capture.violations.isEmpty()); // random RSV bits and opcodes break rules, and are reported
}

QTEST_GUILESS_MAIN(tst_FrameWriter)
#include "tst_framewriter.moc"
