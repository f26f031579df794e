#include "send/snippetstore.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace {

// Translation context for the store's messages (SnippetStore is not a QObject).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SnippetStore)
};

const QString SnippetsKey = QStringLiteral("composer/snippets");
const QString HistoryKey = QStringLiteral("composer/history");
const QString NameKey = QStringLiteral("name");
const QString ModeKey = QStringLiteral("mode");
const QString ContentKey = QStringLiteral("content");

struct ModeName {
    ComposerMode mode;
    const char *key;
};

constexpr ModeName ModeNames[] = {
    { ComposerMode::Text, "text" },
    { ComposerMode::Json, "json" },
    { ComposerMode::Hex, "hex" },
    { ComposerMode::Base64, "base64" },
    { ComposerMode::File, "file" },
    { ComposerMode::SocketIoEvent, "socketio-event" },
    { ComposerMode::StompFrame, "stomp-frame" },
    { ComposerMode::MqttPacket, "mqtt-packet" },
};

// Entries whose mode this version does not know (a newer version wrote them, or a hand edit) are skipped.
std::optional<ComposerEntry> readEntry(const QSettings &settings)
{
    const auto mode = composerModeFromKey(settings.value(ModeKey).toString());
    if (!mode)
        return std::nullopt;
    return ComposerEntry { *mode, settings.value(ContentKey).toString() };
}

void writeEntry(QSettings &settings, const ComposerEntry &entry)
{
    settings.setValue(ModeKey, composerModeKey(entry.mode));
    settings.setValue(ContentKey, entry.content);
}

} // namespace

QString composerModeKey(ComposerMode mode)
{
    for (const ModeName &m : ModeNames) {
        if (m.mode == mode)
            return QLatin1String(m.key);
    }
    Q_UNREACHABLE();
}

std::optional<ComposerMode> composerModeFromKey(const QString &key)
{
    for (const ModeName &m : ModeNames) {
        if (key == QLatin1String(m.key))
            return m.mode;
    }
    return std::nullopt;
}

SnippetStore::SnippetStore(QSettings *settings, int historyLimit)
    : m_settings(settings)
    , m_historyLimit(std::max(historyLimit, 0))
{
}

QList<Snippet> SnippetStore::snippets() const
{
    QList<Snippet> list;
    const int n = m_settings->beginReadArray(SnippetsKey);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        const QString name = m_settings->value(NameKey).toString();
        const auto entry = readEntry(*m_settings);
        if (!name.isEmpty() && entry)
            list.append(Snippet { name, *entry });
    }
    m_settings->endArray();
    std::stable_sort(list.begin(), list.end(),
        [](const Snippet &a, const Snippet &b) { return a.name.compare(b.name, Qt::CaseInsensitive) < 0; });
    return list;
}

std::optional<ComposerEntry> SnippetStore::snippet(const QString &name) const
{
    const QString wanted = name.trimmed();
    for (const Snippet &s : snippets()) {
        if (s.name == wanted)
            return s.entry;
    }
    return std::nullopt;
}

bool SnippetStore::contains(const QString &name) const
{
    return snippet(name).has_value();
}

QString SnippetStore::save(const QString &name, const ComposerEntry &entry)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Tr::tr("A snippet needs a name.");
    QList<Snippet> list = snippets();
    auto it = std::find_if(list.begin(), list.end(), [&](const Snippet &s) { return s.name == trimmed; });
    if (it != list.end())
        it->entry = entry;
    else
        list.append(Snippet { trimmed, entry });
    writeSnippets(list);
    return {};
}

bool SnippetStore::remove(const QString &name)
{
    QList<Snippet> list = snippets();
    const QString wanted = name.trimmed();
    const auto removed = list.removeIf([&](const Snippet &s) { return s.name == wanted; });
    if (removed == 0)
        return false;
    writeSnippets(list);
    return true;
}

QList<ComposerEntry> SnippetStore::history() const
{
    QList<ComposerEntry> list;
    const int n = m_settings->beginReadArray(HistoryKey);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        if (const auto entry = readEntry(*m_settings))
            list.append(*entry);
    }
    m_settings->endArray();
    return list;
}

bool SnippetStore::addToHistory(const ComposerEntry &entry)
{
    if (entry.content.size() > MaxHistoryContent || m_historyLimit == 0)
        return false;
    QList<ComposerEntry> list = history();
    list.removeAll(entry);
    list.prepend(entry);
    if (list.size() > m_historyLimit)
        list.resize(m_historyLimit);
    writeHistory(list);
    return true;
}

void SnippetStore::clearHistory()
{
    writeHistory({});
}

void SnippetStore::writeSnippets(const QList<Snippet> &snippets)
{
    m_settings->remove(SnippetsKey);
    m_settings->beginWriteArray(SnippetsKey, int(snippets.size()));
    for (int i = 0; i < snippets.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(NameKey, snippets[i].name);
        writeEntry(*m_settings, snippets[i].entry);
    }
    m_settings->endArray();
    m_settings->sync();
}

void SnippetStore::writeHistory(const QList<ComposerEntry> &history)
{
    m_settings->remove(HistoryKey);
    m_settings->beginWriteArray(HistoryKey, int(history.size()));
    for (int i = 0; i < history.size(); ++i) {
        m_settings->setArrayIndex(i);
        writeEntry(*m_settings, history[i]);
    }
    m_settings->endArray();
    m_settings->sync();
}
