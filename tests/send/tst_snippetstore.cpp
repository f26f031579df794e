#include "send/snippetstore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class tst_SnippetStore : public QObject {
    Q_OBJECT

private slots:
    void init();
    void modeKeys_data();
    void modeKeys();
    void roundTripsAcrossInstances_data();
    void roundTripsAcrossInstances();
    void saveReplacesSameName();
    void namesTrimmedAndRequired_data();
    void namesTrimmedAndRequired();
    void sortedByName();
    void remove();
    void historyNewestFirstWithoutRepeats();
    void historyLimit();
    void historySkipsHugeEntries();
    void clearHistory();
    void unknownModesSkipped();

private:
    std::unique_ptr<QSettings> openSettings() const
    {
        return std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("wsi.ini")), QSettings::IniFormat);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_SnippetStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_SnippetStore::modeKeys_data()
{
    QTest::addColumn<ComposerMode>("mode");
    QTest::addColumn<QString>("key");
    QTest::addRow("text") << ComposerMode::Text << QStringLiteral("text");
    QTest::addRow("json") << ComposerMode::Json << QStringLiteral("json");
    QTest::addRow("hex") << ComposerMode::Hex << QStringLiteral("hex");
    QTest::addRow("base64") << ComposerMode::Base64 << QStringLiteral("base64");
    QTest::addRow("file") << ComposerMode::File << QStringLiteral("file");
}

void tst_SnippetStore::modeKeys()
{
    QFETCH(ComposerMode, mode);
    QFETCH(QString, key);
    QCOMPARE(composerModeKey(mode), key);
    QCOMPARE(composerModeFromKey(key), std::optional(mode));
    QCOMPARE(composerModeFromKey(key.toUpper()), std::nullopt);
}

void tst_SnippetStore::roundTripsAcrossInstances_data()
{
    QTest::addColumn<ComposerMode>("mode");
    QTest::addColumn<QString>("content");
    QTest::addRow("text") << ComposerMode::Text << QStringLiteral("hello");
    QTest::addRow("multi-line, unicode, ini specials")
        << ComposerMode::Text << QStringLiteral("line 1\r\nline 2; a=b, [x] \"q\" \\ é 😀\t");
    QTest::addRow("json") << ComposerMode::Json << QStringLiteral("{\n  \"a\": 1\n}");
    QTest::addRow("hex") << ComposerMode::Hex << QStringLiteral("01 02 ff");
    QTest::addRow("base64") << ComposerMode::Base64 << QStringLiteral("AQL/");
    QTest::addRow("file") << ComposerMode::File << QStringLiteral("/tmp/some file.bin");
    QTest::addRow("empty") << ComposerMode::Text << QString();
}

void tst_SnippetStore::roundTripsAcrossInstances()
{
    QFETCH(ComposerMode, mode);
    QFETCH(QString, content);
    const ComposerEntry entry { mode, content };
    {
        auto settings = openSettings();
        SnippetStore store(settings.get());
        QCOMPARE(store.save(QStringLiteral("one"), entry), QString());
        QVERIFY(store.addToHistory(entry));
    }
    auto settings = openSettings();
    SnippetStore store(settings.get());
    QCOMPARE(store.snippets().size(), 1);
    QCOMPARE(store.snippets().first().name, QStringLiteral("one"));
    QCOMPARE(store.snippet(QStringLiteral("one")), std::optional(entry));
    QCOMPARE(store.history(), QList<ComposerEntry> { entry });
}

void tst_SnippetStore::saveReplacesSameName()
{
    auto settings = openSettings();
    SnippetStore store(settings.get());
    QCOMPARE(store.save(QStringLiteral("login"), { ComposerMode::Text, QStringLiteral("a") }), QString());
    QCOMPARE(store.save(QStringLiteral("login"), { ComposerMode::Json, QStringLiteral("{}") }), QString());
    QCOMPARE(store.snippets().size(), 1);
    QCOMPARE(store.snippet(QStringLiteral("login")),
        std::optional(ComposerEntry { ComposerMode::Json, QStringLiteral("{}") }));
    // Names are case-sensitive: "Login" is another snippet.
    QCOMPARE(store.save(QStringLiteral("Login"), { ComposerMode::Text, QStringLiteral("b") }), QString());
    QCOMPARE(store.snippets().size(), 2);
}

void tst_SnippetStore::namesTrimmedAndRequired_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("stored"); // empty: refused
    QTest::addRow("plain") << QStringLiteral("ping") << QStringLiteral("ping");
    QTest::addRow("padded") << QStringLiteral("  ping \t") << QStringLiteral("ping");
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("blank") << QStringLiteral("   ") << QString();
}

void tst_SnippetStore::namesTrimmedAndRequired()
{
    QFETCH(QString, name);
    QFETCH(QString, stored);
    auto settings = openSettings();
    SnippetStore store(settings.get());
    const QString error = store.save(name, { ComposerMode::Text, QStringLiteral("x") });
    if (stored.isEmpty()) {
        QCOMPARE(error, QStringLiteral("A snippet needs a name."));
        QVERIFY(store.snippets().isEmpty());
    } else {
        QCOMPARE(error, QString());
        QCOMPARE(store.snippets().first().name, stored);
        QVERIFY(store.contains(name));
    }
}

void tst_SnippetStore::sortedByName()
{
    auto settings = openSettings();
    SnippetStore store(settings.get());
    for (const char *name : { "beta", "Alpha", "gamma", "alpha2" })
        store.save(QLatin1String(name), { ComposerMode::Text, QLatin1String(name) });
    QStringList names;
    for (const Snippet &s : store.snippets())
        names << s.name;
    QCOMPARE(names,
        (QStringList {
            QStringLiteral("Alpha"), QStringLiteral("alpha2"), QStringLiteral("beta"), QStringLiteral("gamma") }));
}

void tst_SnippetStore::remove()
{
    {
        auto settings = openSettings();
        SnippetStore store(settings.get());
        store.save(QStringLiteral("a"), { ComposerMode::Text, QStringLiteral("1") });
        store.save(QStringLiteral("b"), { ComposerMode::Text, QStringLiteral("2") });
        QVERIFY(store.remove(QStringLiteral("a")));
        QVERIFY(!store.remove(QStringLiteral("a")));
        QVERIFY(!store.remove(QStringLiteral("missing")));
    }
    auto settings = openSettings();
    SnippetStore store(settings.get());
    QCOMPARE(store.snippets().size(), 1);
    QCOMPARE(store.snippets().first().name, QStringLiteral("b"));
    QVERIFY(!store.contains(QStringLiteral("a")));
}

void tst_SnippetStore::historyNewestFirstWithoutRepeats()
{
    auto settings = openSettings();
    SnippetStore store(settings.get());
    const ComposerEntry a { ComposerMode::Text, QStringLiteral("a") };
    const ComposerEntry b { ComposerMode::Text, QStringLiteral("b") };
    const ComposerEntry aHex { ComposerMode::Hex, QStringLiteral("a") };
    store.addToHistory(a);
    store.addToHistory(b);
    store.addToHistory(aHex);
    QCOMPARE(store.history(), (QList<ComposerEntry> { aHex, b, a }));
    store.addToHistory(a);
    QCOMPARE(store.history(), (QList<ComposerEntry> { a, aHex, b }));
}

void tst_SnippetStore::historyLimit()
{
    auto settings = openSettings();
    SnippetStore store(settings.get(), 3);
    for (int i = 0; i < 5; ++i)
        store.addToHistory({ ComposerMode::Text, QString::number(i) });
    QList<ComposerEntry> expected;
    for (int i : { 4, 3, 2 })
        expected.append({ ComposerMode::Text, QString::number(i) });
    QCOMPARE(store.history(), expected);
}

void tst_SnippetStore::historySkipsHugeEntries()
{
    auto settings = openSettings();
    SnippetStore store(settings.get());
    const ComposerEntry fits { ComposerMode::Hex, QString(SnippetStore::MaxHistoryContent, QLatin1Char('a')) };
    const ComposerEntry tooBig { ComposerMode::Hex, QString(SnippetStore::MaxHistoryContent + 1, QLatin1Char('a')) };
    QVERIFY(store.addToHistory(fits));
    QVERIFY(!store.addToHistory(tooBig));
    QCOMPARE(store.history(), QList<ComposerEntry> { fits });
}

void tst_SnippetStore::clearHistory()
{
    auto settings = openSettings();
    SnippetStore store(settings.get());
    store.addToHistory({ ComposerMode::Text, QStringLiteral("x") });
    store.save(QStringLiteral("keep"), { ComposerMode::Text, QStringLiteral("y") });
    store.clearHistory();
    QVERIFY(store.history().isEmpty());
    QCOMPARE(store.snippets().size(), 1);
}

void tst_SnippetStore::unknownModesSkipped()
{
    {
        auto settings = openSettings();
        settings->beginWriteArray(QStringLiteral("composer/snippets"), 2);
        settings->setArrayIndex(0);
        settings->setValue(QStringLiteral("name"), QStringLiteral("future"));
        settings->setValue(QStringLiteral("mode"), QStringLiteral("cbor"));
        settings->setValue(QStringLiteral("content"), QStringLiteral("a1"));
        settings->setArrayIndex(1);
        settings->setValue(QStringLiteral("name"), QStringLiteral("known"));
        settings->setValue(QStringLiteral("mode"), QStringLiteral("text"));
        settings->setValue(QStringLiteral("content"), QStringLiteral("hi"));
        settings->endArray();
    }
    auto settings = openSettings();
    SnippetStore store(settings.get());
    QCOMPARE(store.snippets().size(), 1);
    QCOMPARE(store.snippets().first().name, QStringLiteral("known"));
}

QTEST_GUILESS_MAIN(tst_SnippetStore)
#include "tst_snippetstore.moc"
