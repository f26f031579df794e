#pragma once

#include <QList>
#include <QString>
#include <optional>

class QSettings;

// How the send composer reads its input.
// SocketIoEvent: a Socket.IO event's JSON array, ["name", args...], emitted on the namespace (or sent
// as 42[...]); StompFrame: a STOMP frame as text, sent with its NUL terminator added; MqttPacket: an
// MQTT packet's fields as text (decode/mqtttext.h), sent encoded as a binary message.
enum class ComposerMode { Text, Json, Hex, Base64, File, SocketIoEvent, StompFrame, MqttPacket };

// "text", "json", "hex", "base64", "file", "socketio-event", "stomp-frame", "mqtt-packet" (stable: stored)
QString composerModeKey(ComposerMode mode);
std::optional<ComposerMode> composerModeFromKey(const QString &key);

// What the user wrote, in the form they wrote it: hex and base64 as their source text, a file as its
// path. Re-loading an entry gives back exactly what was typed.
struct ComposerEntry {
    ComposerMode mode = ComposerMode::Text;
    QString content;
    bool operator==(const ComposerEntry &) const = default;
};

struct Snippet {
    QString name;
    ComposerEntry entry;
};

// Named snippets and the history of sent messages, kept in QSettings under "composer/". Every call
// reads and writes the settings, so two composers sharing a settings file see each other's changes.
class SnippetStore {
public:
    static constexpr int DefaultHistoryLimit = 50;
    // Larger entries are sent but not remembered: settings files are not meant for megabytes.
    static constexpr qsizetype MaxHistoryContent = 64 * 1024;

    explicit SnippetStore(QSettings *settings, int historyLimit = DefaultHistoryLimit); // not owned

    QList<Snippet> snippets() const; // by name, case-insensitively
    std::optional<ComposerEntry> snippet(const QString &name) const;
    bool contains(const QString &name) const;
    // Saves under the trimmed name, replacing a snippet of that name. Returns an empty string on success,
    // otherwise why it was not saved.
    QString save(const QString &name, const ComposerEntry &entry);
    bool remove(const QString &name);

    QList<ComposerEntry> history() const; // newest first
    // Puts the entry first; an identical older entry moves rather than repeats. Returns false when the
    // entry is too large to remember.
    bool addToHistory(const ComposerEntry &entry);
    void clearHistory();

private:
    void writeSnippets(const QList<Snippet> &snippets);
    void writeHistory(const QList<ComposerEntry> &history);

    QSettings *m_settings;
    int m_historyLimit;
};
