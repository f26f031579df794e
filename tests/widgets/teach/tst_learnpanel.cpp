#include "teach/learnpanel.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

namespace {

QString itemTopic(const QListWidgetItem *item)
{
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QListWidgetItem *itemFor(const QListWidget *list, const QString &id)
{
    for (int row = 0; row < list->count(); ++row) {
        if (itemTopic(list->item(row)) == id)
            return list->item(row);
    }
    return nullptr;
}

} // namespace

class tst_LearnPanel : public QObject {
    Q_OBJECT

private slots:
    void startsWithTheBrowserEvents();
    void listHoldsEveryTopicUnderHeadings();
    void setTopic_data();
    void setTopic();
    void readyStateReadsAsAList();
    void anyCloseCode_data();
    void anyCloseCode();
    void unknownTopic();
    void listAndCodeBoxDriveIt();
    void plainText();
};

void tst_LearnPanel::startsWithTheBrowserEvents()
{
    LearnPanel panel;
    QCOMPARE(panel.currentTopic(), QString(Glossary::Events));
    QCOMPARE(panel.titleText(), Glossary::entry(Glossary::Events).title);
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), QString(Glossary::Events));
}

void tst_LearnPanel::listHoldsEveryTopicUnderHeadings()
{
    LearnPanel panel;
    const QListWidget *list = panel.topicList();
    QStringList topics;
    QStringList headings;
    for (int row = 0; row < list->count(); ++row) {
        const QListWidgetItem *item = list->item(row);
        if (itemTopic(item).isEmpty()) {
            headings.append(item->text());
            QVERIFY(!(item->flags() & Qt::ItemIsSelectable));
        } else {
            topics.append(itemTopic(item));
            QCOMPARE(item->text().trimmed(), Glossary::entry(itemTopic(item)).title);
        }
    }
    QCOMPARE(topics, Glossary::topicIds());
    QCOMPARE(headings,
        QStringList({ QStringLiteral("The browser API"), QStringLiteral("Closing: codes and wasClean"),
            QStringLiteral("The opening handshake"), QStringLiteral("Frames on the wire"),
            QStringLiteral("Libraries on top") }));
    QCOMPARE(list->item(0)->text(), QStringLiteral("The browser API"));
}

void tst_LearnPanel::setTopic_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : Glossary::topicIds())
        QTest::addRow("%s", qPrintable(id)) << id;
}

void tst_LearnPanel::setTopic()
{
    QFETCH(QString, id);
    LearnPanel panel;
    if (id == QString(Glossary::Events))
        panel.setTopic(Glossary::ReadyState); // so that the row below is a change
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);

    QVERIFY(panel.setTopic(id));
    const GlossaryEntry e = Glossary::entry(id);
    QCOMPARE(panel.currentTopic(), id);
    QCOMPARE(panel.titleText(), e.title);
    QCOMPARE(QString(panel.bodyText()).replace(QLatin1Char('\n'), QLatin1Char(' ')), e.text);
    QCOMPARE(panel.referenceText(), e.rfc);
    QCOMPARE(panel.browserText(), e.inBrowser);
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), id);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toString(), id);

    QVERIFY(panel.setTopic(id)); // already shown: no second signal
    QCOMPARE(changed.size(), 1);
}

void tst_LearnPanel::readyStateReadsAsAList()
{
    LearnPanel panel;
    panel.setTopic(Glossary::ReadyState);
    const QStringList lines = panel.bodyText().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines[1].startsWith(QStringLiteral("0 CONNECTING: ")));
    QVERIFY(lines[2].startsWith(QStringLiteral("1 OPEN: ")));
    QVERIFY(lines[3].startsWith(QStringLiteral("2 CLOSING: ")));
    QVERIFY(lines[4].startsWith(QStringLiteral("3 CLOSED: ")));
    // Other topics keep their paragraph.
    panel.setTopic(Glossary::BufferedAmount);
    QVERIFY(!panel.bodyText().contains(QLatin1Char('\n')));
}

void tst_LearnPanel::anyCloseCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("listed");
    QTest::addColumn<QString>("title");
    QTest::addRow("1006, listed") << 1006 << true << QStringLiteral("1006 Abnormal Closure");
    QTest::addRow("1008") << 1008 << false << QStringLiteral("1008 Policy Violation");
    QTest::addRow("1013") << 1013 << false << QStringLiteral("1013 Try Again Later");
    QTest::addRow("4000") << 4000 << false << QStringLiteral("4000 Private use");
    QTest::addRow("0") << 0 << false << QStringLiteral("0 Unused");
}

void tst_LearnPanel::anyCloseCode()
{
    QFETCH(int, code);
    QFETCH(bool, listed);
    QFETCH(QString, title);
    LearnPanel panel;
    const QString id = Glossary::closeCodeTopic(quint16(code));
    QVERIFY(panel.setTopic(id));
    QCOMPARE(panel.currentTopic(), id);
    QCOMPARE(panel.titleText(), title);
    QCOMPARE(panel.closeCodeBox()->value(), code);
    QCOMPARE(panel.topicList()->currentItem() != nullptr, listed);
    if (listed)
        QCOMPARE(itemTopic(panel.topicList()->currentItem()), id);
    else
        QVERIFY(panel.topicList()->selectedItems().isEmpty());
}

void tst_LearnPanel::unknownTopic()
{
    LearnPanel panel;
    panel.setTopic(Glossary::Masking);
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);
    QVERIFY(!panel.setTopic(QStringLiteral("no-such-topic")));
    QVERIFY(!panel.setTopic(QStringLiteral("close-70000")));
    QCOMPARE(panel.currentTopic(), QString(Glossary::Masking));
    QCOMPARE(panel.titleText(), Glossary::entry(Glossary::Masking).title);
    QCOMPARE(changed.size(), 0);
}

void tst_LearnPanel::listAndCodeBoxDriveIt()
{
    LearnPanel panel;
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);
    panel.topicList()->setCurrentItem(itemFor(panel.topicList(), QString(Glossary::Subprotocols)));
    QCOMPARE(panel.currentTopic(), QString(Glossary::Subprotocols));
    QVERIFY(panel.bodyText().contains(QStringLiteral("STOMP")));

    panel.closeCodeBox()->setValue(1009);
    QCOMPARE(panel.currentTopic(), QStringLiteral("close-1009"));
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), QStringLiteral("close-1009"));
    panel.closeCodeBox()->setValue(3001);
    QCOMPARE(panel.titleText(), QStringLiteral("3001 Registered by a library or framework"));
    QCOMPARE(changed.size(), 3);

    // Picking a listed code in the list puts it in the box too.
    panel.topicList()->setCurrentItem(itemFor(panel.topicList(), QStringLiteral("close-1011")));
    QCOMPARE(panel.closeCodeBox()->value(), 1011);
    QCOMPARE(changed.size(), 4);
}

void tst_LearnPanel::plainText()
{
    LearnPanel panel;
    for (const char *name : { "topicTitle", "topicReference", "topicBody", "topicBrowser" }) {
        const auto *label = panel.findChild<QLabel *>(QString::fromLatin1(name));
        QVERIFY2(label, name);
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY(label->wordWrap());
    }
}

QTEST_MAIN(tst_LearnPanel)
#include "tst_learnpanel.moc"
