#include "send/fragmentbuilder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using Mode = FrameCrafter::PayloadMode;

namespace {

// The wire bytes of an emitted frame, with a fixed key in place of the one drawn when it is sent.
QByteArray wireOf(const QVariant &v)
{
    FrameSpec spec = v.value<FrameSpec>();
    if (spec.mask && !spec.maskingKey)
        spec.maskingKey = 0x01020304;
    return FrameWriter::encode(spec).bytes.toHex(' ');
}

} // namespace

class tst_FragmentBuilder : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void planList_data();
    void planList();
    void sendNextProgression();
    void sendAllSendsTheRest();
    void emittedFramesAreExact_data();
    void emittedFramesAreExact();
    void utf8SplitNoted();
    void lintOfThePlan_data();
    void lintOfThePlan();
    void inputErrors();
    void editingAfterCompletionStartsOver();
    void sendDisabledSaysWhy();
    void screenshots();

private:
    template <typename T> T *child(const char *name) const
    {
        auto *w = m_builder->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    QString text(const char *label) const { return child<QLabel>(label)->text(); }
    void click(const char *button) { QTest::mouseClick(child<QPushButton>(button), Qt::LeftButton); }
    QStringList rows() const
    {
        QStringList out;
        auto *list = child<QTreeWidget>("plan");
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            QStringList cells;
            for (int c = 0; c < list->columnCount(); ++c)
                cells << list->topLevelItem(i)->text(c);
            out << cells.join(u'|');
        }
        return out;
    }
    bool inputsEnabled() const { return child<QPlainTextEdit>("message")->isEnabled(); }

    std::unique_ptr<FragmentBuilder> m_builder;
};

void tst_FragmentBuilder::init()
{
    m_builder = std::make_unique<FragmentBuilder>();
    m_builder->resize(470, 640);
    m_builder->setSendEnabled(true);
}

void tst_FragmentBuilder::cleanup()
{
    m_builder.reset();
}

void tst_FragmentBuilder::planList_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("byCount");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("ping"); // empty: no ping between fragments
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("size");

    QTest::addRow("N=3") << 1 << Mode::Text << u"hello world"_s << true << 3 << QString()
                         << QStringList { u"\u25b6 1|text (1/3)|0|4 bytes|\u201chell\u201d"_s,
                                u"2|continuation (2/3)|0|4 bytes|\u201co wo\u201d"_s,
                                u"3|continuation (3/3)|1|3 bytes|\u201crld\u201d"_s }
                         << u"11 bytes"_s;
    QTest::addRow("K=4 binary from hex") << 2 << Mode::Hex << u"00 01 02 03 04 05"_s << false << 4 << QString()
                                         << QStringList { u"\u25b6 1|binary (1/2)|0|4 bytes|00 01 02 03"_s,
                                                u"2|continuation (2/2)|1|2 bytes|04 05"_s }
                                         << u"6 bytes"_s;
    QTest::addRow("pings between") << 1 << Mode::Text << u"abcdef"_s << true << 3 << u"hi"_s
                                   << QStringList { u"\u25b6 1|text (1/3)|0|2 bytes|\u201cab\u201d"_s,
                                          u"2|ping|1|2 bytes|\u201chi\u201d"_s,
                                          u"3|continuation (2/3)|0|2 bytes|\u201ccd\u201d"_s,
                                          u"4|ping|1|2 bytes|\u201chi\u201d"_s,
                                          u"5|continuation (3/3)|1|2 bytes|\u201cef\u201d"_s }
                                   << u"6 bytes"_s;
    QTest::addRow("base64, one fragment")
        << 2 << Mode::Base64 << u"AQL/"_s << false << 16 << QString()
        << QStringList { u"\u25b6 1|binary (1/1)|1|3 bytes|01 02 ff"_s } << u"3 bytes"_s;
    QTest::addRow("code point split shows as hex")
        << 1 << Mode::Text << u"café"_s << false << 4 << QString()
        << QStringList { u"\u25b6 1|text (1/2)|0|4 bytes|63 61 66 c3"_s, u"2|continuation (2/2)|1|1 byte|a9"_s }
        << u"5 bytes"_s;
    QTest::addRow("empty ping payload") << 1 << Mode::Text << u"ab"_s << true << 2 << u" "_s
                                        << QStringList { u"\u25b6 1|text (1/2)|0|1 byte|\u201ca\u201d"_s,
                                               u"2|ping|1|1 byte|\u201c \u201d"_s,
                                               u"3|continuation (2/2)|1|1 byte|\u201cb\u201d"_s }
                                        << u"2 bytes"_s;
}

void tst_FragmentBuilder::planList()
{
    QFETCH(int, opcode);
    QFETCH(Mode, mode);
    QFETCH(QString, input);
    QFETCH(bool, byCount);
    QFETCH(int, n);
    QFETCH(QString, ping);
    QFETCH(QStringList, rows);
    QFETCH(QString, size);

    m_builder->setMessageOpcode(quint8(opcode));
    m_builder->setInputMode(mode);
    m_builder->setInput(input);
    if (byCount)
        m_builder->setSplitByCount(n);
    else
        m_builder->setSplitBySize(n);
    m_builder->setPingBetween(!ping.isEmpty(), ping);

    QCOMPARE(this->rows(), rows);
    QCOMPARE(text("messageSize"), size);
    QCOMPARE(text("progress"), u"0 of %1 sent"_s.arg(rows.size()));
    QCOMPARE(child<QSpinBox>("fragmentCount")->isEnabled(), byCount);
    QCOMPARE(child<QSpinBox>("fragmentSize")->isEnabled(), !byCount);
    QVERIFY(child<QPushButton>("sendNext")->isEnabled());
    QVERIFY(child<QPushButton>("sendAll")->isEnabled());
    QVERIFY(!child<QPushButton>("reset")->isEnabled());
}

void tst_FragmentBuilder::sendNextProgression()
{
    m_builder->setInput(u"abcdef"_s);
    m_builder->setSplitByCount(3);
    m_builder->setPingBetween(true, u"p"_s);
    QSignalSpy spy(m_builder.get(), &FragmentBuilder::sendFrameRequested);
    QCOMPARE(text("progress"), u"0 of 5 sent"_s);

    const QStringList expected { u"01 82 01 02 03 04 60 60"_s, u"89 81 01 02 03 04 71"_s, u"00 82 01 02 03 04 62 66"_s,
        u"89 81 01 02 03 04 71"_s, u"80 82 01 02 03 04 64 64"_s };
    for (int i = 1; i <= 5; ++i) {
        click("sendNext");
        QCOMPARE(spy.count(), i);
        QCOMPARE(QString::fromLatin1(wireOf(spy.at(i - 1).at(0))), expected[i - 1]);
        QCOMPARE(m_builder->sentCount(), i);
        QCOMPARE(text("progress"), u"%1 of 5 sent"_s.arg(i));
        QVERIFY(child<QPushButton>("reset")->isEnabled());
        // The plan is locked while part of it is on the wire.
        QCOMPARE(inputsEnabled(), i == 5);
        QCOMPARE(child<QPushButton>("sendNext")->isEnabled(), i < 5);
        QCOMPARE(child<QPushButton>("sendAll")->text(), i < 5 ? u"Send the &rest"_s : u"Send &all"_s);
        // The list marks what went out and what comes next.
        const QStringList r = rows();
        for (int row = 0; row < 5; ++row) {
            const QString first = r[row].section(u'|', 0, 0);
            if (row < i)
                QCOMPARE(first, u"\u2714 %1"_s.arg(row + 1));
            else if (row == i)
                QCOMPARE(first, u"\u25b6 %1"_s.arg(row + 1));
            else
                QCOMPARE(first, QString::number(row + 1));
        }
    }
    // Nothing more to send.
    m_builder->sendNext();
    QCOMPARE(spy.count(), 5);

    click("reset");
    QCOMPARE(text("progress"), u"0 of 5 sent"_s);
    QVERIFY(inputsEnabled());
    QVERIFY(!child<QPushButton>("reset")->isEnabled());
    click("sendNext");
    QCOMPARE(spy.count(), 6);
    QCOMPARE(QString::fromLatin1(wireOf(spy.at(5).at(0))), expected[0]);
}

void tst_FragmentBuilder::sendAllSendsTheRest()
{
    m_builder->setInput(u"abcdefgh"_s);
    m_builder->setSplitBySize(2);
    QSignalSpy spy(m_builder.get(), &FragmentBuilder::sendFrameRequested);
    click("sendNext");
    click("sendNext");
    QCOMPARE(text("progress"), u"2 of 4 sent"_s);
    click("sendAll");
    QCOMPARE(spy.count(), 4);
    QCOMPARE(QString::fromLatin1(wireOf(spy.at(2).at(0))), u"00 82 01 02 03 04 64 64"_s);
    QCOMPARE(QString::fromLatin1(wireOf(spy.at(3).at(0))), u"80 82 01 02 03 04 66 6a"_s);
    QCOMPARE(text("progress"), u"4 of 4 sent"_s);
    QVERIFY(!child<QPushButton>("sendAll")->isEnabled());

    click("reset");
    click("sendAll");
    QCOMPARE(spy.count(), 8);
    QCOMPARE(QString::fromLatin1(wireOf(spy.at(4).at(0))), u"01 82 01 02 03 04 60 60"_s);
}

void tst_FragmentBuilder::emittedFramesAreExact_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("byCount");
    QTest::addColumn<int>("n");
    QTest::addColumn<QStringList>("wire");

    QTest::addRow("text N=2") << 1 << Mode::Text << u"Hi!"_s << true << 2
                              << QStringList { u"01 82 01 02 03 04 49 6b"_s, u"80 81 01 02 03 04 20"_s };
    QTest::addRow("binary K=1 from hex") << 2 << Mode::Hex << u"ff 00"_s << false << 1
                                         << QStringList { u"02 81 01 02 03 04 fe"_s, u"80 81 01 02 03 04 01"_s };
    QTest::addRow("empty fragments") << 2 << Mode::Hex << u"aa"_s << true << 3
                                     << QStringList { u"02 81 01 02 03 04 ab"_s, u"00 80 01 02 03 04"_s,
                                            u"80 80 01 02 03 04"_s };
    QTest::addRow("empty text, one frame")
        << 1 << Mode::Text << QString() << false << 4 << QStringList { u"81 80 01 02 03 04"_s };
}

void tst_FragmentBuilder::emittedFramesAreExact()
{
    QFETCH(int, opcode);
    QFETCH(Mode, mode);
    QFETCH(QString, input);
    QFETCH(bool, byCount);
    QFETCH(int, n);
    QFETCH(QStringList, wire);

    m_builder->setMessageOpcode(quint8(opcode));
    m_builder->setInputMode(mode);
    m_builder->setInput(input);
    if (byCount)
        m_builder->setSplitByCount(n);
    else
        m_builder->setSplitBySize(n);
    QSignalSpy spy(m_builder.get(), &FragmentBuilder::sendFrameRequested);
    click("sendAll");
    QCOMPARE(spy.count(), wire.size());
    for (int i = 0; i < wire.size(); ++i) {
        const auto spec = spy.at(i).at(0).value<FrameSpec>();
        QVERIFY(spec.mask);
        QVERIFY(!spec.maskingKey); // a fresh key per frame, drawn when sent
        QCOMPARE(QString::fromLatin1(wireOf(spy.at(i).at(0))), wire[i]);
    }
}

void tst_FragmentBuilder::utf8SplitNoted()
{
    m_builder->setInput(u"café"_s);
    m_builder->setSplitBySize(4);
    QCOMPARE(text("planNotes"),
        u"Fragments 1 and 2 split U+00E9 (1 + 1 of its 2 bytes). Allowed: a server checks the UTF-8 of the whole "
        u"message, not of each fragment (RFC 6455 §5.6, §8.1)."_s);
    QVERIFY(child<QLabel>("planNotes")->isVisibleTo(m_builder.get()));
    // Allowed, and the lint of the whole sequence agrees.
    QCOMPARE(text("planLint"), u"\u2714 Valid. A strict server accepts all 2 frames."_s);

    m_builder->setSplitBySize(5);
    QVERIFY(!text("planNotes").contains(u"split"_s));
}

void tst_FragmentBuilder::lintOfThePlan_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("ping");
    QTest::addColumn<QString>("lint");

    QTest::addRow("valid with pings")
        << 1 << Mode::Text << u"abc"_s << u"x"_s
        << u"\u2714 Valid. A strict server accepts all 5 frames; answers each ping with a pong carrying the same "
           u"payload."_s;
    QTest::addRow("ping of 126 bytes") << 2 << Mode::Text << u"ab"_s << QString(126, u'p')
                                       << u"A strict server fails the connection with a close frame: 1002 Protocol "
                                          u"Error (frame 2, control-frame-too-long).\n\u2718 control-frame-too-long "
                                          u"(§5.5) in frame 2: ping frame with 126-byte payload; control frames carry "
                                          u"at most 125"_s;
    QTest::addRow("invalid UTF-8 text") << 1 << Mode::Hex << u"61 ff 62"_s << QString()
                                        << u"A strict server fails the connection with a close frame: 1007 Invalid "
                                           u"Payload Data (frame 2, invalid-utf8-text).\n\u2718 invalid-utf8-text "
                                           u"(§8.1) in frame 2: text message is not valid UTF-8: byte 0xff at offset "
                                           u"1 cannot appear there"_s;
}

void tst_FragmentBuilder::lintOfThePlan()
{
    QFETCH(int, opcode);
    QFETCH(Mode, mode);
    QFETCH(QString, input);
    QFETCH(QString, ping);
    QFETCH(QString, lint);

    m_builder->setMessageOpcode(quint8(opcode));
    m_builder->setInputMode(mode);
    m_builder->setInput(input);
    m_builder->setSplitByCount(input.size() > 4 ? 3 : int(input.size()));
    m_builder->setPingBetween(!ping.isEmpty(), ping);
    QCOMPARE(text("planLint"), lint);
    // Invalid plans are still sendable: probing servers is the point.
    QVERIFY(child<QPushButton>("sendAll")->isEnabled());
}

void tst_FragmentBuilder::inputErrors()
{
    m_builder->setInputMode(Mode::Hex);
    m_builder->setInput(u"01 0z"_s);
    QCOMPARE(text("planError"), u"Message: invalid hex digit 'z' at position 5"_s);
    QVERIFY(child<QLabel>("planError")->isVisibleTo(m_builder.get()));
    QCOMPARE(child<QTreeWidget>("plan")->topLevelItemCount(), 0);
    QVERIFY(!child<QPushButton>("sendNext")->isEnabled());
    QVERIFY(!child<QPushButton>("sendAll")->isEnabled());
    QCOMPARE(text("progress"), QString());
    QSignalSpy spy(m_builder.get(), &FragmentBuilder::sendFrameRequested);
    m_builder->sendNext();
    m_builder->sendAll();
    QCOMPARE(spy.count(), 0);

    m_builder->setInput(u"01 0f"_s);
    QVERIFY(!child<QLabel>("planError")->isVisibleTo(m_builder.get()));
    QCOMPARE(child<QTreeWidget>("plan")->topLevelItemCount(), 3); // the default split: 3 fragments
}

void tst_FragmentBuilder::editingAfterCompletionStartsOver()
{
    m_builder->setInput(u"abcd"_s);
    m_builder->setSplitByCount(2);
    click("sendAll");
    QCOMPARE(text("progress"), u"2 of 2 sent"_s);
    QVERIFY(inputsEnabled());
    m_builder->setSplitByCount(4);
    QCOMPARE(text("progress"), u"0 of 4 sent"_s);
    QVERIFY(child<QPushButton>("sendNext")->isEnabled());
}

void tst_FragmentBuilder::sendDisabledSaysWhy()
{
    m_builder->setInput(u"abcd"_s);
    m_builder->setSendEnabled(false, u"Not connected."_s);
    QVERIFY(!child<QPushButton>("sendNext")->isEnabled());
    QVERIFY(!child<QPushButton>("sendAll")->isEnabled());
    QCOMPARE(text("disabledReason"), u"Not connected."_s);
    QVERIFY(child<QLabel>("disabledReason")->isVisibleTo(m_builder.get()));
    QSignalSpy spy(m_builder.get(), &FragmentBuilder::sendFrameRequested);
    m_builder->sendNext();
    m_builder->sendAll();
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_builder->sentCount(), 0);

    m_builder->setSendEnabled(true);
    QVERIFY(child<QPushButton>("sendNext")->isEnabled());
    QVERIFY(!child<QLabel>("disabledReason")->isVisibleTo(m_builder.get()));
}

void tst_FragmentBuilder::screenshots()
{
    QVERIFY2(
        m_builder->minimumSizeHint().width() <= 470, qPrintable(QString::number(m_builder->minimumSizeHint().width())));
    m_builder->resize(470, 640);
    m_builder->setInput(u"Grüße aus Köln"_s);
    m_builder->setSplitBySize(3);
    m_builder->setPingBetween(true, u"keepalive"_s);
    m_builder->sendNext();
    m_builder->sendNext();
    m_builder->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_builder.get()));
    QVERIFY(m_builder->grab().save(u"/tmp/fragmentbuilder.png"_s));

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    m_builder->setPalette(dark);
    QVERIFY(m_builder->grab().save(u"/tmp/fragmentbuilder-dark.png"_s));
}

QTEST_MAIN(tst_FragmentBuilder)
#include "tst_fragmentbuilder.moc"
