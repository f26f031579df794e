#include "inspect/framehexview.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QMetaEnum>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolTip>
#include <QtTest>

using FieldId = FrameLayout::FieldId;

namespace {

// RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
const QByteArray kMaskedHeader = QByteArray::fromHex("818537fa213d");
const QByteArray kHello = QByteArrayLiteral("Hello");
const QByteArray kHelloOnWire = QByteArray::fromHex("7f9f4d5158");

QString idName(FieldId id)
{
    return QString::fromLatin1(QMetaEnum::fromType<FieldId>().valueToKey(int(id)));
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

} // namespace

class tst_FrameHexView : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void fieldsUnderBytes_data();
    void fieldsUnderBytes();
    void helpEventShowsTooltip();
    void clickSelectsField_data();
    void clickSelectsField();
    void repeatedClicksCycleSharedByte();
    void selectField_data();
    void selectField();
    void dragSelectsRange();
    void keyboardSelection_data();
    void keyboardSelection();
    void maskedToggle_data();
    void maskedToggle();
    void copyFormats_data();
    void copyFormats();
    void copyShortcut();
    void contextMenu();
    void clearResets();
    void largePayloadIsNotCopied();
    void scrollToEndShowsLastOffset();
    void horizontalScrolling();
    void fieldColoursPainted_data();
    void fieldColoursPainted();

private:
    FrameHexView *m_view = nullptr;
};

void tst_FrameHexView::init()
{
    m_view = new FrameHexView;
    m_view->resize(720, 320);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void tst_FrameHexView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void tst_FrameHexView::fieldsUnderBytes_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QStringList>("tooltipHas");

    QTest::addRow("byte 0 lists FIN..opcode")
        << kMaskedHeader << kHello << qint64(0)
        << QStringList { QStringLiteral("<b>FIN</b>: 1 (final fragment)"), QStringLiteral("<b>RSV1</b>: 0 (clear)"),
               QStringLiteral("<b>RSV2</b>"), QStringLiteral("<b>RSV3</b>"), QStringLiteral("<b>Opcode</b>: 0x1 text"),
               QStringLiteral("<b>0x81</b> = 1000 0001"), QStringLiteral("(bits 4-7 of this byte)") };
    QTest::addRow("byte 1: MASK and 7-bit length")
        << kMaskedHeader << kHello << qint64(1)
        << QStringList { QStringLiteral("<b>MASK</b>: 1 (payload is masked)"),
               QStringLiteral("<b>Payload length</b>: 5 → payload is 5 bytes"),
               QStringLiteral("(bits 1-7 of this byte)") };
    QTest::addRow("masking key byte") << kMaskedHeader << kHello << qint64(3)
                                      << QStringList { QStringLiteral(
                                             "<b>Masking key</b>: 0x37fa213d <i>(bytes 2-5)</i>") };
    QTest::addRow("payload byte shows both forms")
        << kMaskedHeader << kHello << qint64(7)
        << QStringList { QStringLiteral("<b>Payload data</b>: 5 bytes, masked on the wire"),
               QStringLiteral("byte 2 of 5; unmasked 0x65, on the wire 0x9f (XOR key byte 1)") };
    QTest::addRow("16-bit extended length")
        << QByteArray::fromHex("827e0100") << QByteArray(256, '\0') << qint64(2)
        << QStringList { QStringLiteral("<b>Extended payload length (16-bit)</b>: 256 bytes <i>(bytes 2-3)</i>") };
    QTest::addRow("64-bit extended length")
        << QByteArray::fromHex("827f0000000000010000") << QByteArray(65536, '\0') << qint64(9)
        << QStringList { QStringLiteral("<b>Extended payload length (64-bit)</b>: 65536 bytes <i>(bytes 2-9)</i>") };
    QTest::addRow("reserved opcode warns") << QByteArray::fromHex("8300") << QByteArray() << qint64(0)
                                           << QStringList { QStringLiteral("0x3 reserved (non-control)"),
                                                  QStringLiteral("<b>Warning:</b> reserved opcode") };
    QTest::addRow("bare payload") << QByteArray() << QByteArrayLiteral("abc") << qint64(1)
                                  << QStringList { QStringLiteral(
                                         "<b>Payload data</b>: 3 bytes <i>(byte 2 of 3)</i>") };
}

void tst_FrameHexView::fieldsUnderBytes()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(qint64, offset);
    QFETCH(QStringList, tooltipHas);

    m_view->setFrame(header, payload);
    const QString tip = m_view->toolTipForByte(offset);
    for (const QString &part : tooltipHas)
        QVERIFY2(tip.contains(part), qPrintable(tip + QStringLiteral("\n  lacks: ") + part));
    QCOMPARE(m_view->toolTipForByte(header.size() + payload.size()), QString());
}

void tst_FrameHexView::helpEventShowsTooltip()
{
    m_view->setFrame(kMaskedHeader, kHello);
    const QRect cell = m_view->hexCellRect(4);
    QVERIFY(!cell.isEmpty());
    QCOMPARE(m_view->byteAt(cell.center()), qint64(4));
    QHelpEvent event(QEvent::ToolTip, cell.center(), m_view->viewport()->mapToGlobal(cell.center()));
    QApplication::sendEvent(m_view->viewport(), &event);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), m_view->toolTipForByte(4));
    QVERIFY(QToolTip::text().contains(QStringLiteral("Masking key")));

    // Over the ASCII column too.
    const QRect ascii = m_view->asciiCellRect(0);
    QCOMPARE(m_view->byteAt(ascii.center()), qint64(0));
    QHelpEvent asciiEvent(QEvent::ToolTip, ascii.center(), m_view->viewport()->mapToGlobal(ascii.center()));
    QApplication::sendEvent(m_view->viewport(), &asciiEvent);
    QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("FIN")));
    QToolTip::hideText();
}

void tst_FrameHexView::clickSelectsField_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("inAscii");
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("selStart");
    QTest::addColumn<qint64>("selLength");

    QTest::addRow("byte 0 -> FIN") << kMaskedHeader << 5 << qint64(0) << false << QStringLiteral("Fin") << qint64(0)
                                   << qint64(1);
    QTest::addRow("byte 1 -> MASK") << kMaskedHeader << 5 << qint64(1) << false << QStringLiteral("Mask") << qint64(1)
                                    << qint64(1);
    QTest::addRow("key byte -> whole key")
        << kMaskedHeader << 5 << qint64(4) << false << QStringLiteral("MaskingKey") << qint64(2) << qint64(4);
    QTest::addRow("key byte in ASCII") << kMaskedHeader << 5 << qint64(5) << true << QStringLiteral("MaskingKey")
                                       << qint64(2) << qint64(4);
    QTest::addRow("payload byte -> payload")
        << kMaskedHeader << 5 << qint64(9) << false << QStringLiteral("Payload") << qint64(6) << qint64(5);
    QTest::addRow("64-bit length, second row") << QByteArray::fromHex("827f0000000000000100") << 256 << qint64(17)
                                               << false << QStringLiteral("Payload") << qint64(10) << qint64(256);
    QTest::addRow("64-bit length byte") << QByteArray::fromHex("827f0000000000000100") << 256 << qint64(8) << true
                                        << QStringLiteral("ExtendedPayloadLength") << qint64(2) << qint64(8);
}

void tst_FrameHexView::clickSelectsField()
{
    QFETCH(QByteArray, header);
    QFETCH(int, payloadSize);
    QFETCH(qint64, offset);
    QFETCH(bool, inAscii);
    QFETCH(QString, field);
    QFETCH(qint64, selStart);
    QFETCH(qint64, selLength);

    m_view->setFrame(header, QByteArray(payloadSize, 'a'));
    QSignalSpy fieldSpy(m_view, &FrameHexView::fieldSelected);
    QSignalSpy selectionSpy(m_view, &FrameHexView::selectionChanged);
    const QRect cell = inAscii ? m_view->asciiCellRect(offset) : m_view->hexCellRect(offset);
    QVERIFY(!cell.isEmpty());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, cell.center());

    QCOMPARE(fieldSpy.count(), 1);
    QCOMPARE(idName(fieldSpy.at(0).at(0).value<FieldId>()), field);
    QCOMPARE(idName(m_view->selectedField()), field);
    QCOMPARE(selectionSpy.count(), 1);
    QCOMPARE(m_view->selectionStart(), selStart);
    QCOMPARE(m_view->selectionLength(), selLength);
    QCOMPARE(m_view->cursorOffset(), offset);
}

void tst_FrameHexView::repeatedClicksCycleSharedByte()
{
    m_view->setFrame(kMaskedHeader, kHello);
    QSignalSpy fieldSpy(m_view, &FrameHexView::fieldSelected);
    const QPoint byte0 = m_view->hexCellRect(0).center();
    for (int i = 0; i < 6; ++i) {
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, byte0);
        QCOMPARE(m_view->selectionStart(), 0);
        QCOMPARE(m_view->selectionLength(), 1);
    }
    QStringList order;
    for (const QList<QVariant> &args : std::as_const(fieldSpy))
        order << idName(args.at(0).value<FieldId>());
    QCOMPARE(order,
        (QStringList { QStringLiteral("Fin"), QStringLiteral("Rsv1"), QStringLiteral("Rsv2"), QStringLiteral("Rsv3"),
            QStringLiteral("Opcode"), QStringLiteral("Fin") }));

    // Byte 1 holds MASK then the 7-bit length; a click elsewhere starts over at the byte's first field.
    const QPoint byte1 = m_view->hexCellRect(1).center();
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, byte1);
    QCOMPARE(m_view->selectedField(), FieldId::Mask);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, byte1);
    QCOMPARE(m_view->selectedField(), FieldId::PayloadLength);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, byte0);
    QCOMPARE(m_view->selectedField(), FieldId::Fin);
}

void tst_FrameHexView::selectField_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<FieldId>("id");
    QTest::addColumn<qint64>("selStart");
    QTest::addColumn<qint64>("selLength");
    QTest::addColumn<bool>("selected");

    const QByteArray len16Masked = QByteArray::fromHex("82fe0100a1b2c3d4");
    QTest::addRow("opcode") << len16Masked << 256 << FieldId::Opcode << qint64(0) << qint64(1) << true;
    QTest::addRow("payload length") << len16Masked << 256 << FieldId::PayloadLength << qint64(1) << qint64(1) << true;
    QTest::addRow("extended length") << len16Masked << 256 << FieldId::ExtendedPayloadLength << qint64(2) << qint64(2)
                                     << true;
    QTest::addRow("masking key") << len16Masked << 256 << FieldId::MaskingKey << qint64(4) << qint64(4) << true;
    QTest::addRow("payload") << len16Masked << 256 << FieldId::Payload << qint64(8) << qint64(256) << true;
    QTest::addRow("absent key") << QByteArray::fromHex("8205") << 5 << FieldId::MaskingKey << qint64(0) << qint64(0)
                                << false;
    QTest::addRow("empty payload") << QByteArray::fromHex("8900") << 0 << FieldId::Payload << qint64(0) << qint64(0)
                                   << true;
    QTest::addRow("none") << len16Masked << 256 << FieldId::None << qint64(0) << qint64(0) << false;
}

void tst_FrameHexView::selectField()
{
    QFETCH(QByteArray, header);
    QFETCH(int, payloadSize);
    QFETCH(FieldId, id);
    QFETCH(qint64, selStart);
    QFETCH(qint64, selLength);
    QFETCH(bool, selected);

    m_view->setFrame(header, QByteArray(payloadSize, 'z'));
    m_view->selectField(FieldId::Fin); // start from a different selection
    QSignalSpy fieldSpy(m_view, &FrameHexView::fieldSelected);
    m_view->selectField(id);
    QCOMPARE(m_view->selectionStart(), selStart);
    QCOMPARE(m_view->selectionLength(), selLength);
    QCOMPARE(m_view->selectedField(), selected ? id : FieldId::None);
    QCOMPARE(fieldSpy.count(), 1);
    QCOMPARE(fieldSpy.at(0).at(0).value<FieldId>(), selected ? id : FieldId::None);
    // Selecting it again changes nothing and says nothing.
    m_view->selectField(id);
    QCOMPARE(fieldSpy.count(), 1);
}

void tst_FrameHexView::dragSelectsRange()
{
    m_view->setFrame(QByteArray::fromHex("827e0040"), QByteArray(64, 'q'));
    QSignalSpy fieldSpy(m_view, &FrameHexView::fieldSelected);
    m_view->selectField(FieldId::ExtendedPayloadLength);
    QCOMPARE(fieldSpy.count(), 1);

    const QPoint from = m_view->hexCellRect(3).center();
    const QPoint to = m_view->asciiCellRect(21).center();
    QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, to, m_view->viewport()->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, {});
    QApplication::sendEvent(m_view->viewport(), &move);
    QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, to);

    QCOMPARE(m_view->selectionStart(), 3);
    QCOMPARE(m_view->selectionLength(), 19);
    QCOMPARE(m_view->selectedField(), FieldId::None);
    QCOMPARE(fieldSpy.count(), 2);
    QCOMPARE(fieldSpy.at(1).at(0).value<FieldId>(), FieldId::None);

    // Shift+click extends from the same anchor.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ShiftModifier, m_view->hexCellRect(1).center());
    QCOMPARE(m_view->selectionStart(), 1);
    QCOMPARE(m_view->selectionLength(), 3);
}

void tst_FrameHexView::keyboardSelection_data()
{
    QTest::addColumn<QList<int>>("keys"); // key | modifiers
    QTest::addColumn<qint64>("selStart");
    QTest::addColumn<qint64>("selLength");
    QTest::addColumn<qint64>("cursor");

    const int shift = int(Qt::ShiftModifier);
    QTest::addRow("right") << QList<int> { Qt::Key_Right } << qint64(0) << qint64(0) << qint64(1);
    QTest::addRow("shift+right x3") << QList<int> { Qt::Key_Right | shift, Qt::Key_Right | shift,
        Qt::Key_Right | shift } << qint64(0)
                                    << qint64(4) << qint64(3);
    QTest::addRow("move then shift+down")
        << QList<int> { Qt::Key_Right, Qt::Key_Right, Qt::Key_Down | shift } << qint64(2) << qint64(17) << qint64(18);
    QTest::addRow("shift+end") << QList<int> { Qt::Key_End | shift } << qint64(0) << qint64(16) << qint64(15);
    QTest::addRow("ctrl+shift+end") << QList<int> { Qt::Key_End | shift | int(Qt::ControlModifier) } << qint64(0)
                                    << qint64(40) << qint64(39);
    QTest::addRow("shift+left at start stays")
        << QList<int> { Qt::Key_Left | shift } << qint64(0) << qint64(1) << qint64(0);
    QTest::addRow("select all") << QList<int> { Qt::Key_A | int(Qt::ControlModifier) } << qint64(0) << qint64(40)
                                << qint64(39);
    QTest::addRow("escape clears") << QList<int> { Qt::Key_Right | shift, Qt::Key_Escape } << qint64(0) << qint64(0)
                                   << qint64(1);
}

void tst_FrameHexView::keyboardSelection()
{
    QFETCH(QList<int>, keys);
    QFETCH(qint64, selStart);
    QFETCH(qint64, selLength);
    QFETCH(qint64, cursor);

    m_view->setFrame(QByteArray::fromHex("8226"), QByteArray(38, 'k'));
    m_view->setFocus();
    for (int key : keys)
        QTest::keyClick(m_view, Qt::Key(key & ~int(Qt::KeyboardModifierMask)),
            Qt::KeyboardModifiers(key & int(Qt::KeyboardModifierMask)));
    QCOMPARE(m_view->selectionStart(), selStart);
    QCOMPARE(m_view->selectionLength(), selLength);
    QCOMPARE(m_view->cursorOffset(), cursor);
}

void tst_FrameHexView::maskedToggle_data()
{
    QTest::addColumn<qint64>("selStart");
    QTest::addColumn<qint64>("selLength");
    QTest::addColumn<QString>("unmaskedHex");
    QTest::addColumn<QString>("maskedHex");

    QTest::addRow("whole frame") << qint64(0) << qint64(0) << QStringLiteral("81 85 37 fa 21 3d 48 65 6c 6c 6f")
                                 << QStringLiteral("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    QTest::addRow("payload tail (key rotates)")
        << qint64(8) << qint64(3) << QStringLiteral("6c 6c 6f") << QStringLiteral("4d 51 58");
    QTest::addRow("header only never changes")
        << qint64(0) << qint64(6) << QStringLiteral("81 85 37 fa 21 3d") << QStringLiteral("81 85 37 fa 21 3d");
    QTest::addRow("across header and payload")
        << qint64(5) << qint64(2) << QStringLiteral("3d 48") << QStringLiteral("3d 7f");
}

void tst_FrameHexView::maskedToggle()
{
    QFETCH(qint64, selStart);
    QFETCH(qint64, selLength);
    QFETCH(QString, unmaskedHex);
    QFETCH(QString, maskedHex);

    m_view->setFrame(kMaskedHeader, kHello);
    QVERIFY(m_view->canShowMasked());
    m_view->setSelection(selStart, selLength);
    QSignalSpy spy(m_view, &FrameHexView::showMaskedChanged);
    QCOMPARE(m_view->copyAsHex(), unmaskedHex);
    m_view->setShowMasked(true);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_view->copyAsHex(), maskedHex);
    for (int i = 0; i < kHello.size(); ++i)
        QCOMPARE(m_view->displayedByte(6 + i), quint8(kHelloOnWire.at(i)));
    m_view->setShowMasked(false);
    QCOMPARE(m_view->copyAsHex(), unmaskedHex);
    QCOMPARE(m_view->displayedByte(6), quint8('H'));
    QCOMPARE(spy.count(), 2);

    // An unmasked frame has nothing to toggle.
    m_view->setFrame(QByteArray::fromHex("8105"), kHello);
    QVERIFY(!m_view->canShowMasked());
    m_view->setShowMasked(true);
    QCOMPARE(m_view->copyAsHex(), QStringLiteral("81 05 48 65 6c 6c 6f"));
}

void tst_FrameHexView::copyFormats_data()
{
    QTest::addColumn<bool>("masked");
    QTest::addColumn<qint64>("selStart");
    QTest::addColumn<qint64>("selLength");
    QTest::addColumn<FrameHexView::CopyFormat>("format");
    QTest::addColumn<QString>("expected");

    using F = FrameHexView::CopyFormat;
    QTest::addRow("hex, frame") << false << qint64(0) << qint64(0) << F::Hex
                                << QStringLiteral("81 85 37 fa 21 3d 48 65 6c 6c 6f");
    QTest::addRow("base64, payload") << false << qint64(6) << qint64(5) << F::Base64 << QStringLiteral("SGVsbG8=");
    QTest::addRow("base64, masked payload")
        << true << qint64(6) << qint64(5) << F::Base64 << QStringLiteral("f59NUVg=");
    QTest::addRow("text, payload") << false << qint64(6) << qint64(5) << F::Text << QStringLiteral("Hello");
    QTest::addRow("text, one byte") << false << qint64(7) << qint64(1) << F::Text << QStringLiteral("e");
    QTest::addRow("c array, frame") << false << qint64(0) << qint64(0) << F::CArray
                                    << QStringLiteral(
                                           "const unsigned char bytes[11] = {\n"
                                           "    0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x48, 0x65, 0x6c, 0x6c, 0x6f\n"
                                           "};");
    QTest::addRow("c array, masked payload")
        << true << qint64(6) << qint64(5) << F::CArray
        << QStringLiteral("const unsigned char bytes[5] = {\n    0x7f, 0x9f, 0x4d, 0x51, 0x58\n};");
}

void tst_FrameHexView::copyFormats()
{
    QFETCH(bool, masked);
    QFETCH(qint64, selStart);
    QFETCH(qint64, selLength);
    QFETCH(FrameHexView::CopyFormat, format);
    QFETCH(QString, expected);

    m_view->setFrame(kMaskedHeader, kHello);
    m_view->setShowMasked(masked);
    m_view->setSelection(selStart, selLength);
    QCOMPARE(m_view->copyText(format), expected);
}

void tst_FrameHexView::copyShortcut()
{
    // A C array wraps every 12 bytes.
    QByteArray payload;
    for (int i = 0; i < 14; ++i)
        payload.append(char(i));
    m_view->setFrame(QByteArray::fromHex("820e"), payload);
    QCOMPARE(m_view->copyAsCArray(),
        QStringLiteral("const unsigned char bytes[16] = {\n"
                       "    0x82, 0x0e, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,\n"
                       "    0x0a, 0x0b, 0x0c, 0x0d\n"
                       "};"));

    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(QStringLiteral("before"));
    if (clipboard->text() != QStringLiteral("before"))
        QSKIP("this platform has no clipboard");
    m_view->setSelection(2, 3);
    m_view->setFocus();
    QTest::keySequence(m_view, QKeySequence::Copy);
    QCOMPARE(clipboard->text(), QStringLiteral("00 01 02"));
    m_view->copy(FrameHexView::CopyFormat::Base64);
    QCOMPARE(clipboard->text(), QStringLiteral("AAEC"));
}

void tst_FrameHexView::contextMenu()
{
    m_view->setFrame(kMaskedHeader, kHello);
    m_view->selectField(FieldId::Payload);
    const QPoint pos = m_view->hexCellRect(7).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, m_view->viewport()->mapToGlobal(pos));
    QApplication::sendEvent(m_view->viewport(), &event);
    QMenu *menu = m_view->findChild<QMenu *>();
    QVERIFY(menu);
    QStringList texts;
    QAction *base64 = nullptr;
    QAction *masked = nullptr;
    for (QAction *action : menu->actions()) {
        texts << action->text();
        if (action->text().contains(QStringLiteral("Base64")))
            base64 = action;
        if (action->isCheckable())
            masked = action;
    }
    QCOMPARE(texts,
        (QStringList { QStringLiteral("Copy Selection as &Hex"), QStringLiteral("Copy Selection as &Base64"),
            QStringLiteral("Copy Selection as &C Array"), QStringLiteral("Copy Selection as &Text"), QString(),
            QStringLiteral("Select &All"), QString(), QStringLiteral("Show Payload &Masked (as on the wire)") }));
    QVERIFY(masked && masked->isEnabled() && !masked->isChecked());
    masked->trigger();
    QVERIFY(m_view->showMasked());

    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(QStringLiteral("before"));
    if (clipboard->text() != QStringLiteral("before"))
        QSKIP("this platform has no clipboard");
    base64->trigger();
    QCOMPARE(clipboard->text(), QStringLiteral("f59NUVg="));
    menu->close();
}

void tst_FrameHexView::clearResets()
{
    m_view->setFrame(kMaskedHeader, kHello);
    m_view->selectField(FieldId::MaskingKey);
    QSignalSpy fieldSpy(m_view, &FrameHexView::fieldSelected);
    QSignalSpy selectionSpy(m_view, &FrameHexView::selectionChanged);
    m_view->clear();
    QCOMPARE(m_view->totalSize(), 0);
    QVERIFY(!m_view->hasSelection());
    QCOMPARE(m_view->selectedField(), FieldId::None);
    QCOMPARE(fieldSpy.count(), 1);
    QCOMPARE(selectionSpy.count(), 1);
    QCOMPARE(m_view->copyAsHex(), QString());
    QCOMPARE(m_view->lastVisibleOffset(), -1);
    QCOMPARE(m_view->byteAt(QPoint(100, 100)), -1);
    QVERIFY(!m_view->grab().isNull()); // paints an empty frame without trouble
}

void tst_FrameHexView::largePayloadIsNotCopied()
{
    constexpr qsizetype size = 64 * 1024 * 1024;
    std::unique_ptr<char[]> storage(new char[size]);
    std::memset(storage.get(), 0x5a, size);
    storage[size - 1] = 'E';
    // A view over capture memory, as the log pane passes it.
    const QByteArray payload = QByteArray::fromRawData(storage.get(), size);
    const QByteArray header = QByteArray::fromHex("82ff0000000004000000") + QByteArray::fromHex("01020304");

    m_view->setFrame(header, payload);
    QCOMPARE(static_cast<const void *>(m_view->payload().constData()), static_cast<const void *>(storage.get()));
    QCOMPARE(m_view->totalSize(), qint64(size) + 14);
    QCOMPARE(m_view->layout().field(FieldId::Payload)->byteCount, qint64(size));

    // Painting, toggling the mask, tooltips and scrolling never detach the view into a copy.
    QVERIFY(!m_view->grab().isNull());
    m_view->setShowMasked(true);
    QCOMPARE(m_view->displayedByte(14 + size - 1), quint8('E' ^ 0x04));
    QVERIFY(!m_view->grab().isNull());
    QVERIFY(m_view->toolTipForByte(14 + size - 1).contains(QStringLiteral("byte 67108864 of 67108864")));
    m_view->selectField(FieldId::Payload);
    QCOMPARE(m_view->selectionLength(), qint64(size));
    QCOMPARE(static_cast<const void *>(m_view->payload().constData()), static_cast<const void *>(storage.get()));
    QCOMPARE(m_view->header(), header);
}

void tst_FrameHexView::scrollToEndShowsLastOffset()
{
    constexpr qsizetype size = 1024 * 1024 + 3;
    const QByteArray payload(size, 'x');
    m_view->setFrame(QByteArray::fromHex("027f0000000000100003"), payload);
    const qint64 total = 10 + size;
    QCOMPARE(m_view->firstVisibleOffset(), 0);
    QVERIFY(m_view->lastVisibleOffset() < total - 1);

    QScrollBar *bar = m_view->verticalScrollBar();
    bar->setValue(bar->maximum());
    QCOMPARE(m_view->lastVisibleOffset(), total - 1);
    const QRect last = m_view->hexCellRect(total - 1);
    QVERIFY(!last.isEmpty());
    QVERIFY(m_view->viewport()->rect().contains(last));
    QCOMPARE(m_view->byteAt(last.center()), total - 1);
    QCOMPARE(m_view->firstVisibleOffset() % FrameHexView::BytesPerRow, 0);

    // Ctrl+Home and Ctrl+End scroll the cursor into view.
    m_view->setFocus();
    QTest::keyClick(m_view, Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(bar->value(), 0);
    QTest::keyClick(m_view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(m_view->cursorOffset(), total - 1);
    QCOMPARE(m_view->lastVisibleOffset(), total - 1);
}

void tst_FrameHexView::horizontalScrolling()
{
    m_view->setFrame(QByteArray::fromHex("8220"), QByteArray(32, 'h'));
    const int fullWidth = m_view->sizeHint().width();
    m_view->resize(fullWidth / 2, 200);
    QTRY_COMPARE(m_view->width(), fullWidth / 2);
    QScrollBar *bar = m_view->horizontalScrollBar();
    QVERIFY(bar->maximum() > 0);
    QVERIFY(!m_view->viewport()->rect().contains(m_view->asciiCellRect(15)));
    bar->setValue(bar->maximum());
    const QRect ascii = m_view->asciiCellRect(15);
    QVERIFY(m_view->viewport()->rect().contains(ascii));
    QCOMPARE(m_view->byteAt(ascii.center()), qint64(15));

    m_view->resize(fullWidth, 200);
    QTRY_COMPARE(bar->maximum(), 0);
}

void tst_FrameHexView::fieldColoursPainted_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addRow("light") << false;
    QTest::addRow("dark") << true;
}

void tst_FrameHexView::fieldColoursPainted()
{
    QFETCH(bool, dark);
    if (dark)
        m_view->setPalette(darkPalette());
    QByteArray payload;
    for (int i = 0; i < 300; ++i)
        payload.append(char(i * 7));
    m_view->setFrame(QByteArray::fromHex("81fe012c37fa213d"), payload);
    m_view->resize(m_view->sizeHint());

    const QImage image = m_view->viewport()->grab().toImage();
    const QColor base = m_view->palette().color(QPalette::Base);
    // Sample each cell's background at its top-left corner, clear of the digits.
    const auto backgroundAt = [&](qint64 offset, qreal fraction) {
        const QRect cell = m_view->hexCellRect(offset);
        return image.pixelColor(cell.left() + int(cell.width() * fraction), cell.top() + 1);
    };
    const QColor fin = backgroundAt(0, 0.05);
    const QColor opcode = backgroundAt(0, 0.8);
    const QColor mask = backgroundAt(1, 0.05);
    const QColor length = backgroundAt(1, 0.8);
    const QColor ext = backgroundAt(2, 0.5);
    const QColor key = backgroundAt(4, 0.5);
    const QList<QColor> tints { fin, opcode, mask, length, ext, key };
    for (qsizetype i = 0; i < tints.size(); ++i) {
        QVERIFY2(tints.at(i) != base, qPrintable(QString::number(i)));
        for (qsizetype j = i + 1; j < tints.size(); ++j)
            QVERIFY2(tints.at(i) != tints.at(j), qPrintable(QStringLiteral("%1 vs %2").arg(i).arg(j)));
        // Tints stay close to the base so that the palette's text colour reads on them.
        QVERIFY(qAbs(tints.at(i).lightness() - base.lightness()) < 90);
    }

    // Selecting the opcode marks only its bits of byte 0.
    m_view->selectField(FieldId::Opcode);
    const QImage selected = m_view->viewport()->grab().toImage();
    const QRect byte0 = m_view->hexCellRect(0);
    QCOMPARE(selected.pixelColor(byte0.left() + int(byte0.width() * 0.05), byte0.top() + 1), fin);
    QVERIFY(selected.pixelColor(byte0.left() + int(byte0.width() * 0.8), byte0.top() + 1) != opcode);

    if (dark) {
        m_view->grab().save(QDir::temp().filePath(QStringLiteral("framehexview-dark.png")));
    } else {
        m_view->grab().save(QDir::temp().filePath(QStringLiteral("framehexview.png")));
    }
}

QTEST_MAIN(tst_FrameHexView)
#include "tst_framehexview.moc"
