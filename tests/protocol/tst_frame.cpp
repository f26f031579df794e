#include "protocol/frame.h"

#include <QtTest>

class tst_Frame : public QObject {
    Q_OBJECT

private slots:
    void decode_data();
    void decode();
    void decodeTruncated_data();
    void decodeTruncated();
    void sizeFromFirstTwoBytes_data();
    void sizeFromFirstTwoBytes();
    void maskRfcExample();
    void applyMaskAtOffsets_data();
    void applyMaskAtOffsets();
    void opcodeName_data();
    void opcodeName();
    void opcodeClasses_data();
    void opcodeClasses();
    void ruleId_data();
    void ruleId();
    void rfcSection_data();
    void rfcSection();
};

void tst_Frame::decode_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("rsv");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<quint32>("key");
    QTest::addColumn<quint64>("declared");
    QTest::addColumn<int>("form");
    QTest::addColumn<int>("headerSize");

    // RFC 6455 §5.7
    QTest::addRow("rfc unmasked Hello") << QByteArray::fromHex("810548656c6c6f") << true << 0 << 1 << false
                                        << quint32(0) << quint64(5) << int(LengthForm::Short7) << 2;
    QTest::addRow("rfc masked Hello") << QByteArray::fromHex("818537fa213d7f9f4d5158") << true << 0 << 1 << true
                                      << quint32(0x37fa213d) << quint64(5) << int(LengthForm::Short7) << 6;
    QTest::addRow("rfc first fragment") << QByteArray::fromHex("010348656c") << false << 0 << 1 << false << quint32(0)
                                        << quint64(3) << int(LengthForm::Short7) << 2;
    QTest::addRow("rfc last fragment") << QByteArray::fromHex("80026c6f") << true << 0 << 0 << false << quint32(0)
                                       << quint64(2) << int(LengthForm::Short7) << 2;
    QTest::addRow("rfc ping") << QByteArray::fromHex("890548656c6c6f") << true << 0 << 9 << false << quint32(0)
                              << quint64(5) << int(LengthForm::Short7) << 2;
    QTest::addRow("rfc masked pong") << QByteArray::fromHex("8a8537fa213d7f9f4d5158") << true << 0 << 10 << true
                                     << quint32(0x37fa213d) << quint64(5) << int(LengthForm::Short7) << 6;
    QTest::addRow("rfc 256 binary") << QByteArray::fromHex("827e0100") << true << 0 << 2 << false << quint32(0)
                                    << quint64(256) << int(LengthForm::Extended16) << 4;
    QTest::addRow("rfc 64KiB binary") << QByteArray::fromHex("827f0000000000010000") << true << 0 << 2 << false
                                      << quint32(0) << quint64(65536) << int(LengthForm::Extended64) << 10;
    QTest::addRow("all rsv, reserved opcode 15") << QByteArray::fromHex("ff00") << true << 7 << 15 << false
                                                 << quint32(0) << quint64(0) << int(LengthForm::Short7) << 2;
    QTest::addRow("rsv1 only, no fin") << QByteArray::fromHex("4100") << false << 4 << 1 << false << quint32(0)
                                       << quint64(0) << int(LengthForm::Short7) << 2;
    QTest::addRow("rsv3 only") << QByteArray::fromHex("9200") << true << 1 << 2 << false << quint32(0) << quint64(0)
                               << int(LengthForm::Short7) << 2;
    QTest::addRow("masked 16-bit") << QByteArray::fromHex("82fe0100a1b2c3d4") << true << 0 << 2 << true
                                   << quint32(0xa1b2c3d4) << quint64(256) << int(LengthForm::Extended16) << 8;
    QTest::addRow("masked 64-bit top bit")
        << QByteArray::fromHex("82ff800000000000000101020304") << true << 0 << 2 << true << quint32(0x01020304)
        << quint64(0x8000000000000001ull) << int(LengthForm::Extended64) << 14;
    QTest::addRow("non-minimal 16 for 5") << QByteArray::fromHex("817e0005") << true << 0 << 1 << false << quint32(0)
                                          << quint64(5) << int(LengthForm::Extended16) << 4;
    QTest::addRow("125 short") << QByteArray::fromHex("827d") << true << 0 << 2 << false << quint32(0) << quint64(125)
                               << int(LengthForm::Short7) << 2;
    QTest::addRow("65535 in 16") << QByteArray::fromHex("827effff") << true << 0 << 2 << false << quint32(0)
                                 << quint64(65535) << int(LengthForm::Extended16) << 4;
}

void tst_Frame::decode()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, fin);
    QFETCH(bool, masked);
    QFETCH(int, form);
    // Start from values that differ from every expectation: decode must overwrite each field.
    FrameHeader h;
    h.fin = !fin;
    h.rsv = 0x5;
    h.opcode = 0xE;
    h.masked = !masked;
    h.maskingKey = 0xdeadbeef;
    h.declaredLength = 123456789;
    h.lengthForm = LengthForm((form + 1) % 3);
    h.headerSize = 99;
    QVERIFY(FrameHeader::decode(bytes, h));
    QTEST(h.fin, "fin");
    QTEST(int(h.rsv), "rsv");
    QTEST(int(h.opcode), "opcode");
    QTEST(h.masked, "masked");
    QTEST(h.maskingKey, "key");
    QTEST(h.declaredLength, "declared");
    QTEST(int(h.lengthForm), "form");
    QTEST(int(h.headerSize), "headerSize");
}

void tst_Frame::decodeTruncated_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("one byte") << QByteArray::fromHex("81");
    QTest::addRow("masked short missing key") << QByteArray::fromHex("818537fa21");
    QTest::addRow("16-bit missing one") << QByteArray::fromHex("827e01");
    QTest::addRow("64-bit missing one") << QByteArray::fromHex("827f00000000000100");
    QTest::addRow("64-bit masked missing key byte") << QByteArray::fromHex("82ff0000000000010000aabbcc");
}

void tst_Frame::decodeTruncated()
{
    QFETCH(QByteArray, bytes);
    FrameHeader h;
    QVERIFY(!FrameHeader::decode(bytes, h));
}

void tst_Frame::sizeFromFirstTwoBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("size");
    QTest::addRow("empty") << QByteArray() << 0;
    QTest::addRow("one byte") << QByteArray::fromHex("81") << 0;
    QTest::addRow("short") << QByteArray::fromHex("8105") << 2;
    QTest::addRow("short 125") << QByteArray::fromHex("817d") << 2;
    QTest::addRow("short masked") << QByteArray::fromHex("8185") << 6;
    QTest::addRow("16") << QByteArray::fromHex("817e") << 4;
    QTest::addRow("16 masked") << QByteArray::fromHex("81fe") << 8;
    QTest::addRow("64") << QByteArray::fromHex("817f") << 10;
    QTest::addRow("64 masked") << QByteArray::fromHex("81ff") << 14;
    QTest::addRow("only the second byte counts") << QByteArray::fromHex("ff7fffffff") << 10;
}

void tst_Frame::sizeFromFirstTwoBytes()
{
    QFETCH(QByteArray, bytes);
    QTEST(FrameHeader::sizeFromFirstTwoBytes(bytes), "size");
}

void tst_Frame::maskRfcExample()
{
    const QByteArray hello = QByteArrayLiteral("Hello");
    QCOMPARE(masked(hello, 0x37fa213d), QByteArray::fromHex("7f9f4d5158"));
    QCOMPARE(masked(QByteArray::fromHex("7f9f4d5158"), 0x37fa213d), hello);
    QCOMPARE(masked(QByteArray(), 0x37fa213d), QByteArray());
}

void tst_Frame::applyMaskAtOffsets_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QList<int>>("cuts");
    QTest::addRow("5 in 1+4") << 5 << QList<int> { 1 };
    QTest::addRow("5 byte by byte") << 5 << QList<int> { 1, 2, 3, 4 };
    QTest::addRow("37 at 3, 11, 30") << 37 << QList<int> { 3, 11, 30 };
    QTest::addRow("64 at 1, 2, 9, 17, 33") << 64 << QList<int> { 1, 2, 9, 17, 33 };
    QTest::addRow("100 at 7, 8, 15, 16, 99") << 100 << QList<int> { 7, 8, 15, 16, 99 };
}

void tst_Frame::applyMaskAtOffsets()
{
    QFETCH(int, size);
    QFETCH(QList<int>, cuts);
    const quint32 key = 0x37fa213d;
    const uchar keyBytes[4] = { 0x37, 0xfa, 0x21, 0x3d };
    QByteArray plain(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        plain[i] = char(i * 7 + 1);
    QByteArray expected = plain;
    for (int i = 0; i < size; ++i)
        expected[i] = char(uchar(expected[i]) ^ keyBytes[i % 4]);

    QCOMPARE(masked(plain, key), expected);

    QByteArray pieces = plain;
    int start = 0;
    cuts.append(size);
    for (int cut : cuts) {
        applyMask(pieces.data() + start, cut - start, key, quint64(start));
        start = cut;
    }
    QCOMPARE(pieces, expected);
}

void tst_Frame::opcodeName_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QString>("name");
    QTest::addRow("0") << 0 << QStringLiteral("continuation");
    QTest::addRow("1") << 1 << QStringLiteral("text");
    QTest::addRow("2") << 2 << QStringLiteral("binary");
    for (int op = 3; op <= 7; ++op)
        QTest::addRow("%d", op) << op << QStringLiteral("reserved-%1").arg(op);
    QTest::addRow("8") << 8 << QStringLiteral("close");
    QTest::addRow("9") << 9 << QStringLiteral("ping");
    QTest::addRow("10") << 10 << QStringLiteral("pong");
    for (int op = 11; op <= 15; ++op)
        QTest::addRow("%d", op) << op << QStringLiteral("reserved-%1").arg(op);
}

void tst_Frame::opcodeName()
{
    QFETCH(int, opcode);
    QTEST(Opcode::name(quint8(opcode)), "name");
}

void tst_Frame::opcodeClasses_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("control");
    QTest::addColumn<bool>("reserved");
    const bool control[16]
        = { false, false, false, false, false, false, false, false, true, true, true, true, true, true, true, true };
    const bool reserved[16]
        = { false, false, false, true, true, true, true, true, false, false, false, true, true, true, true, true };
    for (int op = 0; op < 16; ++op)
        QTest::addRow("%d", op) << op << control[op] << reserved[op];
}

void tst_Frame::opcodeClasses()
{
    QFETCH(int, opcode);
    QTEST(Opcode::isControl(quint8(opcode)), "control");
    QTEST(Opcode::isReserved(quint8(opcode)), "reserved");
}

void tst_Frame::ruleId_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<QString>("id");
    const char *ids[] = {
        "none",
        "reserved-opcode",
        "reserved-bits-set",
        "control-frame-too-long",
        "control-frame-fragmented",
        "continuation-without-start",
        "data-frame-inside-fragmented-message",
        "non-minimal-length",
        "length-top-bit-set",
        "masked-frame-from-server",
        "unmasked-frame-from-client",
        "invalid-utf8-text",
        "close-payload-one-byte",
        "invalid-close-code",
        "close-reason-invalid-utf8",
        "frame-too-big",
        "message-too-big",
        "too-many-fragments",
        "data-after-close",
        "handshake-failed",
    };
    // The numeric values are stored in capture files: each must keep its id.
    for (int i = 0; i < int(std::size(ids)); ++i)
        QTest::addRow("%d %s", i, ids[i]) << i << QString::fromLatin1(ids[i]);
}

void tst_Frame::ruleId()
{
    QFETCH(int, rule);
    QTEST(Violation::ruleId(ViolationRule(rule)), "id");
}

void tst_Frame::rfcSection_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<QString>("section");
    QTest::addRow("none") << int(ViolationRule::None) << QString();
    QTest::addRow("reserved opcode") << int(ViolationRule::ReservedOpcode) << QStringLiteral("5.2");
    QTest::addRow("length top bit") << int(ViolationRule::LengthTopBitSet) << QStringLiteral("5.2");
    QTest::addRow("control too long") << int(ViolationRule::ControlFrameTooLong) << QStringLiteral("5.5");
    QTest::addRow("continuation") << int(ViolationRule::ContinuationWithoutStart) << QStringLiteral("5.4");
    QTest::addRow("masking") << int(ViolationRule::UnmaskedFrameFromClient) << QStringLiteral("5.1");
    QTest::addRow("utf8") << int(ViolationRule::InvalidUtf8Text) << QStringLiteral("8.1");
    QTest::addRow("close code") << int(ViolationRule::InvalidCloseCode) << QStringLiteral("5.5.1");
    QTest::addRow("too big") << int(ViolationRule::FrameTooBig) << QStringLiteral("7.4.1");
    QTest::addRow("handshake") << int(ViolationRule::HandshakeFailed) << QStringLiteral("4.1");
}

void tst_Frame::rfcSection()
{
    QFETCH(int, rule);
    QTEST(Violation::rfcSection(ViolationRule(rule)), "section");
}

QTEST_GUILESS_MAIN(tst_Frame)
#include "tst_frame.moc"
