#include "send/closecontrols.h"

#include "protocol/closecodes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <memory>

class tst_CloseControls : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listsEveryRegisteredCode();
    void normalClose();
    void reasonCountsBytes_data();
    void reasonCountsBytes();
    void pickWithKeyboard();
    void invalidCodeNeedsOptIn_data();
    void invalidCodeNeedsOptIn();
    void validCustomCodes_data();
    void validCustomCodes();
    void longReasonNeedsOptIn();
    void noStatusCode();
    void disabledSaysWhy();
    void setCode_data();
    void setCode();
    void screenshots();

private:
    template <typename T> T *child(const char *name) const
    {
        auto *w = m_controls->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    QComboBox *codes() const { return child<QComboBox>("code"); }
    QLineEdit *reasonEdit() const { return child<QLineEdit>("reason"); }
    QPushButton *closeButton() const { return child<QPushButton>("close"); }
    void pick(int data) { codes()->setCurrentIndex(codes()->findData(data)); }
    void typeCustom(int code)
    {
        pick(-1);
        auto *spin = child<QSpinBox>("customCode");
        spin->selectAll();
        QTest::keyClicks(spin, QString::number(code));
        QCOMPARE(spin->value(), code);
    }
    // QTest::keyClicks() only knows Latin-1; other characters arrive as text-only key events.
    static void typeInto(QWidget *widget, const QString &text)
    {
        for (const QChar c : text) {
            if (c.unicode() < 0x80)
                QTest::keyClick(widget, c.toLatin1());
            else
                QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(c), Qt::NoModifier);
        }
    }

    std::unique_ptr<CloseControls> m_controls;
};

void tst_CloseControls::init()
{
    m_controls = std::make_unique<CloseControls>();
    m_controls->resize(520, 300);
}

void tst_CloseControls::cleanup()
{
    m_controls.reset();
}

void tst_CloseControls::listsEveryRegisteredCode()
{
    const QList<CloseCodeInfo> registry = CloseCodes::registry();
    QComboBox *combo = codes();
    for (const CloseCodeInfo &info : registry) {
        const int index = combo->findData(int(info.code));
        QVERIFY2(index >= 0, qPrintable(QString::number(info.code)));
        const QString text = combo->itemText(index);
        QVERIFY(text.startsWith(QString::number(info.code) + QLatin1Char(' ') + info.name));
        QCOMPARE(text.endsWith(QStringLiteral(" \u2014 must not be sent")), !info.validOnWire);
        QVERIFY(combo->itemData(index, Qt::ToolTipRole).toString().startsWith(info.meaning));
    }
    QCOMPARE(combo->itemText(combo->findData(1005)), QStringLiteral("1005 No Status Received \u2014 must not be sent"));
    QCOMPARE(combo->itemText(combo->findData(1012)), QStringLiteral("1012 Service Restart"));
    QVERIFY(combo->findData(-1) > 0); // custom
    QVERIFY(combo->findData(-2) > 0); // no status code
    QCOMPARE(m_controls->code(), quint16(1000));
}

void tst_CloseControls::normalClose()
{
    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    typeInto(reasonEdit(), QStringLiteral("bye"));
    QVERIFY(child<QLabel>("problems")->isHidden());
    QTest::mouseClick(closeButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).value<quint16>(), quint16(1000));
    QCOMPARE(spy.first().at(1).toByteArray(), QByteArray("bye"));
}

void tst_CloseControls::reasonCountsBytes_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("utf8");
    QTest::addColumn<QString>("counter");
    QTest::addColumn<bool>("valid");

    QTest::addRow("empty") << QString() << QByteArray() << QStringLiteral("0 / 123 bytes") << true;
    QTest::addRow("é is 2") << QStringLiteral("é") << QByteArray("\xc3\xa9") << QStringLiteral("2 / 123 bytes") << true;
    QTest::addRow("€ is 3") << QStringLiteral("€") << QByteArray("\xe2\x82\xac") << QStringLiteral("3 / 123 bytes")
                            << true;
    QTest::addRow("123 ASCII") << QString(123, QLatin1Char('a')) << QByteArray(123, 'a')
                               << QStringLiteral("123 / 123 bytes") << true;
    QTest::addRow("124 ASCII") << QString(124, QLatin1Char('a')) << QByteArray(124, 'a')
                               << QStringLiteral("124 / 123 bytes") << false;
    // 62 characters, 124 bytes: the limit is on bytes.
    QByteArray e62;
    for (int i = 0; i < 62; ++i)
        e62 += "\xc3\xa9";
    QTest::addRow("62 x é") << QString(62, QChar(0xe9)) << e62 << QStringLiteral("124 / 123 bytes") << false;
}

void tst_CloseControls::reasonCountsBytes()
{
    QFETCH(QString, reason);
    QFETCH(QByteArray, utf8);
    QFETCH(bool, valid);

    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    typeInto(reasonEdit(), reason);
    QCOMPARE(m_controls->reasonUtf8(), utf8);
    QTEST(child<QLabel>("reasonCounter")->text(), "counter");
    QCOMPARE(closeButton()->isEnabled(), valid);
    QCOMPARE(m_controls->problems().isEmpty(), valid);
    m_controls->requestClose();
    QCOMPARE(spy.size(), valid ? 1 : 0);
    if (valid)
        QCOMPARE(spy.first().at(1).toByteArray(), utf8);
}

void tst_CloseControls::pickWithKeyboard()
{
    QTest::keyClick(codes(), Qt::Key_Down);
    QCOMPARE(m_controls->code(), quint16(1001));
    QTest::keyClick(codes(), Qt::Key_Down);
    QCOMPARE(m_controls->code(), quint16(1002));
    QCOMPARE(child<QLabel>("codeInfo")->text(),
        QStringLiteral("Protocol Error (RFC 6455): ") + CloseCodes::info(1002).meaning);
}

void tst_CloseControls::invalidCodeNeedsOptIn_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("custom");
    for (int code : { 1004, 1005, 1006, 1015 })
        QTest::addRow("%d", code) << code << false;
    for (int code : { 1, 999, 1016, 2999, 5000, 65535 })
        QTest::addRow("custom %d", code) << code << true;
}

void tst_CloseControls::invalidCodeNeedsOptIn()
{
    QFETCH(int, code);
    QFETCH(bool, custom);

    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    if (custom)
        typeCustom(code);
    else
        pick(code);
    typeInto(reasonEdit(), QStringLiteral("test"));
    QCOMPARE(m_controls->code(), quint16(code));

    const QString problem = CloseCodes::label(quint16(code)) + QStringLiteral(" may not be sent in a close frame.");
    QCOMPARE(m_controls->problems(), QStringList { problem });
    QCOMPARE(child<QLabel>("problems")->text(),
        problem + QStringLiteral("\nTick \u201cSend invalid close frame\u201d to send it anyway."));
    QVERIFY(!child<QLabel>("problems")->isHidden());
    QVERIFY(!closeButton()->isEnabled());
    m_controls->requestClose();
    QCOMPARE(spy.size(), 0);

    QTest::keyClick(child<QCheckBox>("allowInvalid"), Qt::Key_Space);
    QVERIFY(child<QCheckBox>("allowInvalid")->isChecked());
    QVERIFY(child<QLabel>("problems")
                ->text()
                .endsWith(QStringLiteral("This close frame is invalid and will be sent as it is.")));
    QVERIFY(closeButton()->isEnabled());
    QTest::mouseClick(closeButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).value<quint16>(), quint16(code));
    QCOMPARE(spy.first().at(1).toByteArray(), QByteArray("test"));
}

void tst_CloseControls::validCustomCodes_data()
{
    QTest::addColumn<int>("code");
    for (int code : { 3000, 3999, 4000, 4999 })
        QTest::addRow("%d", code) << code;
}

void tst_CloseControls::validCustomCodes()
{
    QFETCH(int, code);
    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    typeCustom(code);
    QVERIFY(m_controls->problems().isEmpty());
    QVERIFY(closeButton()->isEnabled());
    const CloseCodeInfo info = CloseCodes::info(quint16(code));
    const QString expected = code < 4000 ? QStringLiteral("%1 (IANA): %2").arg(info.name, info.meaning)
                                         : QStringLiteral("Private use: %1").arg(info.meaning);
    QCOMPARE(child<QLabel>("codeInfo")->text(), expected);
    QTest::mouseClick(closeButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).value<quint16>(), quint16(code));
    QCOMPARE(spy.first().at(1).toByteArray(), QByteArray());
}

void tst_CloseControls::longReasonNeedsOptIn()
{
    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    pick(1005);
    reasonEdit()->setText(QString(130, QLatin1Char('r')));
    // Both problems are listed.
    QCOMPARE(m_controls->problems().size(), 2);
    QCOMPARE(m_controls->problems().at(1),
        QStringLiteral("The reason is 130 bytes; at most 123 fit in a close frame (125-byte control payload minus "
                       "the 2-byte code)."));
    pick(1000);
    QCOMPARE(m_controls->problems().size(), 1);
    QVERIFY(!closeButton()->isEnabled());
    QTest::keyClick(child<QCheckBox>("allowInvalid"), Qt::Key_Space);
    QTest::mouseClick(closeButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).value<quint16>(), quint16(1000));
    QCOMPARE(spy.first().at(1).toByteArray(), QByteArray(130, 'r'));
}

void tst_CloseControls::noStatusCode()
{
    m_controls->setCloseEnabled(true);
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    typeInto(reasonEdit(), QStringLiteral("kept"));
    pick(-2);
    QCOMPARE(m_controls->code(), quint16(0));
    QVERIFY(!reasonEdit()->isEnabled());
    QCOMPARE(reasonEdit()->text(), QStringLiteral("kept"));
    QCOMPARE(child<QLabel>("reasonCounter")->text(), QStringLiteral("not sent without a code"));
    QVERIFY(m_controls->problems().isEmpty());
    QTest::mouseClick(closeButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).value<quint16>(), quint16(0));
    QCOMPARE(spy.first().at(1).toByteArray(), QByteArray());

    pick(1000);
    QVERIFY(reasonEdit()->isEnabled());
    QCOMPARE(m_controls->reasonUtf8(), QByteArray("kept"));
}

void tst_CloseControls::disabledSaysWhy()
{
    QSignalSpy spy(m_controls.get(), &CloseControls::closeRequested);
    QVERIFY(!m_controls->isCloseEnabled());
    QVERIFY(!closeButton()->isEnabled());
    QCOMPARE(child<QLabel>("disabledReason")->text(), QStringLiteral("Cannot close: not connected."));
    QVERIFY(!child<QLabel>("disabledReason")->isHidden());
    // Even an invalid frame the user opted into stays unsent while disabled.
    pick(1005);
    QTest::keyClick(child<QCheckBox>("allowInvalid"), Qt::Key_Space);
    QVERIFY(!closeButton()->isEnabled());
    m_controls->requestClose();
    QCOMPARE(spy.size(), 0);

    m_controls->setCloseEnabled(true);
    QVERIFY(child<QLabel>("disabledReason")->isHidden());
    QVERIFY(closeButton()->isEnabled());
    m_controls->setCloseEnabled(false, QStringLiteral("the closing handshake is under way."));
    QCOMPARE(
        child<QLabel>("disabledReason")->text(), QStringLiteral("Cannot close: the closing handshake is under way."));
}

void tst_CloseControls::setCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("comboText");
    QTest::addRow("registered") << 1008 << QStringLiteral("1008 Policy Violation");
    QTest::addRow("custom") << 4321 << QStringLiteral("Custom code\u2026");
    QTest::addRow("none") << 0 << QStringLiteral("No status code (empty payload)");
}

void tst_CloseControls::setCode()
{
    QFETCH(int, code);
    m_controls->setCode(quint16(code));
    QCOMPARE(m_controls->code(), quint16(code));
    QTEST(codes()->currentText(), "comboText");
    QCOMPARE(child<QSpinBox>("customCode")->isHidden(), codes()->currentData().toInt() != -1);
}

void tst_CloseControls::screenshots()
{
    m_controls->setCloseEnabled(true);
    m_controls->setReason(QStringLiteral("server going down for maintenance — back in 5 min"));
    m_controls->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_controls.get()));
    QVERIFY(m_controls->grab().save(QStringLiteral("/tmp/closecontrols.png")));

    pick(1005);
    m_controls->setReason(QString(126, QLatin1Char('x')));
    QVERIFY(m_controls->grab().save(QStringLiteral("/tmp/closecontrols-invalid.png")));

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    m_controls->setPalette(dark);
    typeCustom(4001);
    m_controls->setReason(QStringLiteral("é"));
    m_controls->setCloseEnabled(false);
    QVERIFY(m_controls->grab().save(QStringLiteral("/tmp/closecontrols-dark.png")));
}

QTEST_MAIN(tst_CloseControls)
#include "tst_closecontrols.moc"
