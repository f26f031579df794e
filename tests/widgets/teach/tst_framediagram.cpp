#include "teach/framediagram.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

namespace {

using FieldId = FrameLayout::FieldId;
using MaskingRow = FrameDiagram::MaskingRow;

// RFC 6455 §5.7: a single-frame masked text message "Hello".
const QByteArray RfcHeader = QByteArray::fromHex("818537fa213d");
const QByteArray Hello = "Hello";

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
    return p;
}

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString headerBits(const FrameDiagram &d, qint64 count)
{
    QString bits;
    for (qint64 i = 0; i < count; ++i)
        bits += d.bitText(i);
    return bits;
}

} // namespace

class tst_FrameDiagram : public QObject {
    Q_OBJECT

private slots:
    void rfcExample();
    void bits_data();
    void bits();
    void lengthForms_data();
    void lengthForms();
    void geometryMatchesLayout_data();
    void geometryMatchesLayout();
    void maskingRows_data();
    void maskingRows();
    void unmaskedHasNoKeyNorTable();
    void clickEmitsField();
    void hoverExplains();
    void keyboardWalksFields();
    void selectionFromOutside();
    void warnings();
    void headerCutShort();
    void payloadPreview_data();
    void payloadPreview();
    void clear();
    void colours_data();
    void colours();
    void fitsWidth();

private:
    void showAt(FrameDiagram &d, int width = 900, int height = 400)
    {
        d.resize(width, height);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
    }
};

void tst_FrameDiagram::rfcExample()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(RfcHeader, Hello);

    QCOMPARE(headerBits(d, 8), QStringLiteral("10000001"));
    QCOMPARE(headerBits(d, 16), QStringLiteral("1000000110000101"));
    QCOMPARE(d.labelText(FieldId::Fin), QStringLiteral("FIN: 1 (final fragment)"));
    QCOMPARE(d.labelText(FieldId::Rsv1), QStringLiteral("RSV1: 0 (clear)"));
    QCOMPARE(d.labelText(FieldId::Opcode), QStringLiteral("Opcode: 0x1 text"));
    QCOMPARE(d.labelText(FieldId::Mask), QStringLiteral("MASK: 1 (payload is masked)"));
    QCOMPARE(d.labelText(FieldId::PayloadLength), QStringLiteral("Payload length: 5 → payload is 5 bytes"));
    QCOMPARE(d.labelText(FieldId::MaskingKey), QStringLiteral("Masking key: 0x37fa213d"));
    QCOMPARE(d.labelText(FieldId::Payload), QStringLiteral("Payload data: 5 bytes, masked on the wire"));
    QCOMPARE(d.labelText(FieldId::ExtendedPayloadLength), QString());

    // FIN..length in row 0 with the first half of the key; the key's second half and the payload's
    // first two bytes in row 1; the rest of the payload summarised in row 2.
    QCOMPARE(d.headerRowCount(), 2);
    QCOMPARE(d.rowCount(), 3);
    QCOMPARE(d.fieldSegments(FieldId::MaskingKey).size(), 2);
    QCOMPARE(d.fieldSegments(FieldId::Payload).size(), 2);
    QCOMPARE(d.fieldRect(FieldId::MaskingKey), d.fieldSegments(FieldId::MaskingKey).first());
    QCOMPARE(d.fieldRect(FieldId::Payload), d.fieldSegments(FieldId::Payload).first());

    QVERIFY(d.maskingTableShown());
    const QList<MaskingRow> expected = {
        { 0, 0, 0x37, 'H', 0x7f },
        { 1, 1, 0xfa, 'e', 0x9f },
        { 2, 2, 0x21, 'l', 0x4d },
        { 3, 3, 0x3d, 'l', 0x51 },
        { 4, 0, 0x37, 'o', 0x58 },
    };
    QCOMPARE(d.maskingRows(), expected);
    // The masked column is exactly what RFC 6455 §5.7 shows on the wire.
    QByteArray wire;
    for (const MaskingRow &r : d.maskingRows())
        wire += char(r.masked);
    QCOMPARE(wire, QByteArray::fromHex("7f9f4d5158"));
}

void tst_FrameDiagram::bits_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("bits");
    QTest::addRow("text, unmasked") << QByteArray::fromHex("8105") << QStringLiteral("1000000100000101");
    QTest::addRow("continuation, not final") << QByteArray::fromHex("0003") << QStringLiteral("0000000000000011");
    QTest::addRow("pong, RSV1") << QByteArray::fromHex("ca00") << QStringLiteral("1100101000000000");
    QTest::addRow("16-bit length") << QByteArray::fromHex(
        "82fe01000a0b0c0d") << QStringLiteral("1000001011111110000000010000000000001010000010110000110000001101");
}

void tst_FrameDiagram::bits()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, bits);
    FrameDiagram d;
    showAt(d);
    d.setFrame(header, QByteArray(256, 'x'));
    QCOMPARE(headerBits(d, bits.size()), bits);
    QCOMPARE(d.bitText(bits.size()), QString());
    QCOMPARE(d.bitText(-1), QString());
    QVERIFY(d.bitRect(bits.size()).isNull());
}

void tst_FrameDiagram::lengthForms_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<int>("extendedSegments");
    QTest::addColumn<int>("keySegments");
    QTest::addColumn<int>("headerRows");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("extendedLabel");

    QTest::addRow("7-bit, unmasked, 2 bytes") << QByteArray::fromHex("8102") << 2 << 0 << 0 << 1 << 1 << QString();
    QTest::addRow("7-bit, unmasked, 3 bytes") << QByteArray::fromHex("8103") << 3 << 0 << 0 << 1 << 2 << QString();
    QTest::addRow("7-bit, masked") << QByteArray::fromHex("8185aabbccdd") << 5 << 0 << 2 << 2 << 3 << QString();
    QTest::addRow("16-bit, unmasked") << QByteArray::fromHex("827e0100") << 256 << 1 << 0 << 1 << 2
                                      << QStringLiteral("Extended payload length (16-bit): 256 bytes");
    QTest::addRow("16-bit, masked") << QByteArray::fromHex("82fe0100aabbccdd") << 256 << 1 << 1 << 2 << 3
                                    << QStringLiteral("Extended payload length (16-bit): 256 bytes");
    QTest::addRow("64-bit, unmasked") << QByteArray::fromHex("827f0000000000010000") << 65536 << 3 << 0 << 3 << 4
                                      << QStringLiteral("Extended payload length (64-bit): 65536 bytes");
    QTest::addRow("64-bit, masked") << QByteArray::fromHex("82ff0000000000010000aabbccdd") << 65536 << 3 << 2 << 4 << 5
                                    << QStringLiteral("Extended payload length (64-bit): 65536 bytes");
}

void tst_FrameDiagram::lengthForms()
{
    QFETCH(QByteArray, header);
    QFETCH(int, payloadSize);
    QFETCH(int, extendedSegments);
    QFETCH(int, keySegments);
    QFETCH(int, headerRows);
    QFETCH(int, rows);
    QFETCH(QString, extendedLabel);

    FrameDiagram d;
    showAt(d);
    d.setFrame(header, QByteArray(payloadSize, 'a'));
    QCOMPARE(d.fieldSegments(FieldId::ExtendedPayloadLength).size(), extendedSegments);
    QCOMPARE(d.fieldRect(FieldId::ExtendedPayloadLength).isNull(), extendedSegments == 0);
    QCOMPARE(d.labelText(FieldId::ExtendedPayloadLength), extendedLabel);
    QCOMPARE(d.fieldSegments(FieldId::MaskingKey).size(), keySegments);
    QCOMPARE(d.fieldRect(FieldId::MaskingKey).isNull(), keySegments == 0);
    QCOMPARE(d.maskingTableShown(), keySegments > 0);
    QCOMPARE(d.maskingRows().size(), keySegments > 0 ? qMin(payloadSize, FrameDiagram::MaskingRowsShown) : 0);
    QCOMPARE(d.headerRowCount(), headerRows);
    QCOMPARE(d.rowCount(), rows);
    if (extendedSegments > 1) {
        // A wrapped field is labelled in its widest box: the full row in the middle.
        QCOMPARE(d.fieldRect(FieldId::ExtendedPayloadLength), d.fieldSegments(FieldId::ExtendedPayloadLength).at(1));
        QCOMPARE(d.fieldRect(FieldId::ExtendedPayloadLength).width(), 32 * d.bitRect(0).width());
    }
}

void tst_FrameDiagram::geometryMatchesLayout_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("payloadSize");
    QTest::addRow("RFC 5.7") << RfcHeader << 5;
    QTest::addRow("16-bit masked") << QByteArray::fromHex("82fe0100aabbccdd") << 256;
    QTest::addRow("64-bit masked") << QByteArray::fromHex("82ff0000000000010000aabbccdd") << 65536;
    QTest::addRow("ping") << QByteArray::fromHex("8900") << 0;
}

void tst_FrameDiagram::geometryMatchesLayout()
{
    QFETCH(QByteArray, header);
    QFETCH(int, payloadSize);
    FrameDiagram d;
    showAt(d);
    d.setFrame(header, QByteArray(payloadSize, 'a'));
    const FrameLayout &layout = d.layout();
    const int bitWidth = d.bitRect(0).width();
    QVERIFY(bitWidth >= 16);

    // Every header bit's cell lies in the box of the field the layout puts that bit in.
    for (qint64 bit = 0; bit < header.size() * 8; ++bit) {
        const QRect cell = d.bitRect(bit);
        QVERIFY(!cell.isNull());
        QCOMPARE(cell.width(), bitWidth);
        QCOMPARE(cell.left(), d.bitRect(0).left() + int(bit % 32) * bitWidth);
        const FrameLayout::Field *f = layout.fieldAtBit(bit);
        QVERIFY(f);
        QCOMPARE(d.fieldAt(cell.center()), f->id);
    }
    // Boxes never overlap and stay inside the canvas.
    QList<QRect> all;
    for (const FrameLayout::Field &f : layout.fields()) {
        const QList<QRect> boxes = d.fieldSegments(f.id);
        QVERIFY2(!boxes.isEmpty(), qPrintable(f.name));
        QVERIFY(boxes.contains(d.fieldRect(f.id)));
        if (f.id != FieldId::Payload) {
            int bits = 0;
            for (const QRect &r : boxes)
                bits += r.width() / bitWidth;
            QCOMPARE(bits, int(f.bitCount));
        }
        all += boxes;
    }
    for (qsizetype i = 0; i < all.size(); ++i) {
        QVERIFY(d.canvas()->rect().contains(all[i]));
        for (qsizetype j = i + 1; j < all.size(); ++j)
            QVERIFY(!all[i].intersects(all[j]));
    }
    QCOMPARE(d.fieldRect(FieldId::Fin).width(), bitWidth);
    QCOMPARE(d.fieldRect(FieldId::Opcode).width(), 4 * bitWidth);
    QCOMPARE(d.fieldRect(FieldId::PayloadLength).width(), 7 * bitWidth);
}

void tst_FrameDiagram::maskingRows_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("wire"); // the masked bytes expected in the table
    QTest::addRow("RFC 5.7") << RfcHeader << Hello << QByteArray::fromHex("7f9f4d5158");
    QTest::addRow("first 8 of 12") << QByteArray::fromHex("818c01020304") << QByteArray("abcdefghijkl")
                                   << QByteArray::fromHex("606060606464646c");
    QTest::addRow("zero key") << QByteArray::fromHex("818300000000") << QByteArray("abc") << QByteArray("abc");
    QTest::addRow("empty payload") << QByteArray::fromHex("8980deadbeef") << QByteArray() << QByteArray();
}

void tst_FrameDiagram::maskingRows()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, wire);
    FrameDiagram d;
    showAt(d);
    d.setFrame(header, payload);
    QVERIFY(d.maskingTableShown());
    const QList<MaskingRow> rows = d.maskingRows();
    QCOMPARE(rows.size(), wire.size());
    for (int i = 0; i < rows.size(); ++i) {
        QCOMPARE(rows[i].index, i);
        QCOMPARE(rows[i].keyIndex, i % 4);
        QCOMPARE(rows[i].key, quint8(header[2 + i % 4]));
        QCOMPARE(rows[i].unmasked, quint8(payload[i]));
        QCOMPARE(rows[i].masked, quint8(wire[i]));
        QCOMPARE(quint8(rows[i].unmasked ^ rows[i].key), rows[i].masked);
    }
    // The table lies below the diagram, inside the canvas.
    QVERIFY(d.maskingTableRect().top() > d.fieldSegments(FieldId::Payload).last().bottom());
    QVERIFY(d.canvas()->rect().contains(d.maskingTableRect()));
}

void tst_FrameDiagram::unmaskedHasNoKeyNorTable()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(QByteArray::fromHex("8105"), Hello);
    QCOMPARE(d.labelText(FieldId::Mask), QStringLiteral("MASK: 0 (payload is not masked)"));
    QVERIFY(d.fieldRect(FieldId::MaskingKey).isNull());
    QVERIFY(d.fieldSegments(FieldId::MaskingKey).isEmpty());
    QVERIFY(!d.maskingTableShown());
    QVERIFY(d.maskingRows().isEmpty());
    QVERIFY(d.maskingTableRect().isNull());
    QCOMPARE(d.headerRowCount(), 1);
    // A 5-byte payload does not fit the two bytes left in row 0: one summary row follows.
    QCOMPARE(d.rowCount(), 2);
}

void tst_FrameDiagram::clickEmitsField()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(RfcHeader, Hello);
    QSignalSpy spy(&d, &FrameDiagram::fieldClicked);

    for (FieldId id : { FieldId::Opcode, FieldId::Fin, FieldId::MaskingKey, FieldId::Payload }) {
        QTest::mouseClick(d.canvas(), Qt::LeftButton, {}, d.fieldRect(id).center());
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.takeFirst().at(0).value<FieldId>(), id);
        QCOMPARE(d.selectedField(), id);
    }
    // The second box of a wrapped field is the same field.
    QTest::mouseClick(d.canvas(), Qt::LeftButton, {}, d.fieldSegments(FieldId::MaskingKey).at(1).center());
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.takeFirst().at(0).value<FieldId>(), FieldId::MaskingKey);

    // Outside every field (the title line) nothing happens; a right click selects nothing either.
    QTest::mouseClick(d.canvas(), Qt::LeftButton, {}, QPoint(2, 2));
    QTest::mouseClick(d.canvas(), Qt::RightButton, {}, d.fieldRect(FieldId::Opcode).center());
    QCOMPARE(spy.size(), 0);
    QCOMPARE(d.selectedField(), FieldId::MaskingKey);
}

void tst_FrameDiagram::hoverExplains()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(RfcHeader, Hello);
    const FrameLayout::Field *opcode = d.layout().field(FieldId::Opcode);
    QVERIFY(d.infoText().startsWith(QStringLiteral("Point at a field")));

    QTest::mouseMove(d.canvas(), d.fieldRect(FieldId::Opcode).center());
    QTRY_COMPARE(d.infoText(), QStringLiteral("Opcode (bits 4–7) = 0x1 text. ") + opcode->meaning);

    const QString tip = d.toolTipText(FieldId::Opcode);
    QVERIFY(tip.contains(QStringLiteral("<b>Opcode</b> (bits 4–7)")));
    QVERIFY(tip.contains(opcode->meaning.toHtmlEscaped()));
    QVERIFY(d.toolTipText(FieldId::MaskingKey).contains(QStringLiteral("bits 16–47")));
    QVERIFY(d.toolTipText(FieldId::Payload).contains(QStringLiteral("bytes 6–10")));
    QCOMPARE(d.toolTipText(FieldId::ExtendedPayloadLength), QString());
}

void tst_FrameDiagram::keyboardWalksFields()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(QByteArray::fromHex("8105"), Hello);
    QSignalSpy spy(&d, &FrameDiagram::fieldClicked);
    d.canvas()->setFocus();
    QTest::keyClick(d.canvas(), Qt::Key_Right);
    QCOMPARE(d.selectedField(), FieldId::Fin);
    QTest::keyClick(d.canvas(), Qt::Key_Right);
    QCOMPARE(d.selectedField(), FieldId::Rsv1);
    QTest::keyClick(d.canvas(), Qt::Key_Left);
    QTest::keyClick(d.canvas(), Qt::Key_Left); // stays on the first field: no signal
    QCOMPARE(d.selectedField(), FieldId::Fin);
    QCOMPARE(spy.size(), 3);
}

void tst_FrameDiagram::selectionFromOutside()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(RfcHeader, Hello);
    QSignalSpy spy(&d, &FrameDiagram::fieldClicked);
    d.setSelectedField(FieldId::MaskingKey);
    QCOMPARE(d.selectedField(), FieldId::MaskingKey);
    QVERIFY(d.infoText().startsWith(QStringLiteral("Masking key (bits 16–47) = 0x37fa213d.")));
    QCOMPARE(spy.size(), 0); // only user clicks are reported

    d.setSelectedField(FieldId::ExtendedPayloadLength); // this frame has none
    QCOMPARE(d.selectedField(), FieldId::None);
    d.setSelectedField(FieldId::MaskingKey);
    d.setFrame(QByteArray::fromHex("8105"), Hello); // the new frame has no key
    QCOMPARE(d.selectedField(), FieldId::None);
}

void tst_FrameDiagram::warnings()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(QByteArray::fromHex("c3fe001001020304"), QByteArray(16, 'x'));
    QCOMPARE(d.labelText(FieldId::Opcode), QStringLiteral("Opcode: 0x3 reserved (non-control)"));
    QVERIFY(d.toolTipText(FieldId::Opcode).contains(QStringLiteral("Warning:")));
    QVERIFY(d.toolTipText(FieldId::Rsv1).contains(QStringLiteral("Warning:")));
    QVERIFY(!d.toolTipText(FieldId::Rsv2).contains(QStringLiteral("Warning:")));
    QVERIFY(d.labelText(FieldId::ExtendedPayloadLength).endsWith(QStringLiteral("(non-minimal encoding)")));
    d.setSelectedField(FieldId::Opcode);
    QVERIFY(d.infoText().endsWith(QStringLiteral("Warning: reserved opcode: a peer must fail the connection (1002).")));
}

void tst_FrameDiagram::headerCutShort()
{
    FrameDiagram d;
    showAt(d);
    // A 16-bit length form with only one of its two length bytes.
    d.setFrame(QByteArray::fromHex("81fe01"), {});
    QVERIFY(!d.layout().isComplete());
    QCOMPARE(headerBits(d, 24), QStringLiteral("100000011111111000000001"));
    QCOMPARE(d.rowCount(), 1);
    QVERIFY(d.fieldSegments(FieldId::Payload).isEmpty());
    QVERIFY(d.fieldSegments(FieldId::ExtendedPayloadLength).isEmpty());
    QCOMPARE(d.fieldAt(d.bitRect(20).center()), FieldId::None);
    QCOMPARE(d.fieldAt(d.bitRect(9).center()), FieldId::PayloadLength);
    QVERIFY(!d.maskingTableShown());
}

void tst_FrameDiagram::payloadPreview_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("preview");
    QTest::addRow("masked text") << RfcHeader << Hello
                                 << QStringLiteral("unmasked: \"Hello\"   on the wire: 7f 9f 4d 51 58");
    QTest::addRow("close") << QByteArray::fromHex("8806") << (QByteArray::fromHex("03e8") + "done")
                           << QStringLiteral("close code 1000 Normal Closure, reason \"done\"");
    QTest::addRow("binary") << QByteArray::fromHex("8203") << QByteArray::fromHex("0102ff")
                            << QStringLiteral("01 02 ff");
    QTest::addRow("text with controls") << QByteArray::fromHex("8106")
                                        << QByteArray("a\n\xe2\x80\xae"
                                                      "b")
                                        << QStringLiteral("\"a\\n\\u202eb\"");
    // Through the display rule: bytes that are not UTF-8 read as \xHH, a cut code point included.
    QTest::addRow("invalid UTF-8 text") << QByteArray::fromHex("8102") << QByteArray("\xff\xfe")
                                        << QStringLiteral("\"\\xff\\xfe\"");
    QTest::addRow("text cut mid-character")
        << QByteArray::fromHex("8104") << QByteArray("abc\xe2") << QStringLiteral("\"abc\\xe2\"");
    QTest::addRow("bidi override escaped")
        << QByteArray::fromHex("8105") << QByteArray("ab\xe2\x80\xae") << QStringLiteral("\"ab\\u202e\"");
    QTest::addRow("continuation that is not text") << QByteArray::fromHex("8002") << QByteArray("\xff\xfe")
                                                   << QStringLiteral("ff fe");
}

void tst_FrameDiagram::payloadPreview()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QString, preview);
    FrameDiagram d;
    showAt(d);
    d.setFrame(header, payload);
    QVERIFY2(d.toolTipText(FieldId::Payload).contains(QStringLiteral("<p>%1</p>").arg(preview.toHtmlEscaped())),
        qPrintable(d.toolTipText(FieldId::Payload)));
}

void tst_FrameDiagram::clear()
{
    FrameDiagram d;
    showAt(d);
    d.setFrame(RfcHeader, Hello);
    d.setSelectedField(FieldId::Opcode);
    d.clear();
    QVERIFY(d.isEmpty());
    QCOMPARE(d.rowCount(), 0);
    QCOMPARE(d.bitText(0), QString());
    QVERIFY(d.fieldRect(FieldId::Fin).isNull());
    QCOMPARE(d.labelText(FieldId::Fin), QString());
    QVERIFY(d.maskingRows().isEmpty());
    QVERIFY(!d.maskingTableShown());
    QCOMPARE(d.selectedField(), FieldId::None);
    QCOMPARE(d.fieldAt(QPoint(100, 100)), FieldId::None);
}

void tst_FrameDiagram::colours_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addRow("light") << false;
    QTest::addRow("dark") << true;
}

void tst_FrameDiagram::colours()
{
    QFETCH(bool, dark);
    FrameDiagram d;
    if (dark)
        d.setPalette(darkPalette());
    showAt(d);
    d.setFrame(QByteArray::fromHex("81fe0100aabbccdd"), QByteArray(256, 'a'));
    const QImage image = d.canvas()->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    const QColor text = d.canvas()->palette().color(QPalette::Text);

    QList<QRgb> seen;
    for (FieldId id : { FieldId::Fin, FieldId::Rsv1, FieldId::Rsv2, FieldId::Rsv3, FieldId::Opcode, FieldId::Mask,
             FieldId::PayloadLength, FieldId::ExtendedPayloadLength, FieldId::MaskingKey, FieldId::Payload }) {
        const QRect box = d.fieldRect(id);
        // Bottom-left inside the box: below the label, clear of the outline.
        const QPoint sample(box.left() + 3, box.bottom() - 3);
        const QColor fill = image.pixelColor(sample * dpr);
        QVERIFY2(contrast(fill, text) >= 4.5,
            qPrintable(QStringLiteral("%1: contrast %2").arg(FrameLayout::fieldName(id)).arg(contrast(fill, text))));
        if (id != FieldId::Payload) {
            QVERIFY2(!seen.contains(fill.rgb()), qPrintable(FrameLayout::fieldName(id)));
            seen.append(fill.rgb());
        }
        // Every box of a field has the field's colour.
        for (const QRect &other : d.fieldSegments(id))
            QCOMPARE(image.pixelColor(QPoint(other.left() + 3, other.bottom() - 3) * dpr), fill);
    }
}

void tst_FrameDiagram::fitsWidth()
{
    FrameDiagram d;
    showAt(d, 900, 400);
    d.setFrame(QByteArray::fromHex("82ff0000000000010000aabbccdd"), QByteArray(65536, 'a'));
    // At 900 pixels the whole 32-bit width fits without scrolling sideways, and the grid is
    // taller than nothing but shorter than the window: the diagram itself needs no scrolling.
    QTRY_COMPARE(d.horizontalScrollBar()->maximum(), 0);
    QVERIFY(d.fieldSegments(FieldId::Payload).last().bottom() < 400);
    QVERIFY(d.bitRect(0).width() >= 24);

    // Too narrow for 32 bits: the canvas keeps its minimum and the view scrolls instead of squeezing.
    d.resize(400, 400);
    QTRY_VERIFY(d.horizontalScrollBar()->maximum() > 0);
    QVERIFY(d.canvas()->width() > 400);
}

QTEST_MAIN(tst_FrameDiagram)
#include "tst_framediagram.moc"
