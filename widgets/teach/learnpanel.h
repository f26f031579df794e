#pragma once

#include "teach/glossary.h"

#include <QList>
#include <QString>
#include <QWidget>

class ProtocolDecoding;
class ProtocolExamples;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

// A side panel of short explanations for someone learning WebSockets: a topic list (browser API,
// handshake, frames, closing, close codes, then the protocols on top of WebSocket) and the selected
// topic's text, where it is specified and what a script writes or sees. Any close code can be looked
// up, not just the listed ones. Topics come from the Glossary; the protocols on top (Socket.IO,
// STOMP, MQTT ...) from ProtocolNotes, and their notes show the current connection's own messages
// as examples when it speaks that protocol (setDecoding()), each with a way to find it in the log.
// Plain text only.
class LearnPanel : public QWidget {
    Q_OBJECT
public:
    explicit LearnPanel(QWidget *parent = nullptr);

    // Shows the topic (a glossary topic or a protocol note); false (and nothing changes) for an
    // unknown id. "close-N" works for any code.
    bool setTopic(const QString &id);
    QString currentTopic() const { return m_current.id; }
    // The topic as shown. For a protocol note: its paragraphs as `text` (blank lines between),
    // its reference as `rfc` and its code line as `inBrowser`.
    const GlossaryEntry &currentEntry() const { return m_current; }
    bool isProtocolNote() const { return m_isNote; }

    // The connection whose messages serve as examples: the current session's decoding, or nullptr.
    // Not owned; the panel forgets it when it is destroyed.
    void setDecoding(ProtocolDecoding *decoding);
    ProtocolExamples *examples() const { return m_examples; }

    // What the panel shows, for tests and accessibility.
    QString titleText() const;
    QString bodyText() const;
    QString referenceText() const; // "RFC 6455 §7.4.1"
    QString browserText() const; // the one-liner, without its caption
    QString browserCaption() const; // "In the browser", or "In code" for a protocol note
    QString examplesText() const; // the line above the examples (what the connection speaks)
    int exampleCount() const { return int(m_cards.size()); } // example cards shown
    QListWidget *topicList() const { return m_list; }
    QSpinBox *closeCodeBox() const { return m_code; }

Q_SIGNALS:
    void topicChanged(const QString &id);
    // The user asked to see an example message in the log: the capture index of its final frame,
    // as MessageLogView::selectEvent() takes it.
    void eventRequested(qsizetype captureIndex);

private:
    void showEntry(const GlossaryEntry &entry);
    void updateExamples();
    void clearCards();

    GlossaryEntry m_current;
    bool m_isNote = false;
    QString m_noteName; // the protocol a note is about: "STOMP"
    QListWidget *m_list = nullptr;
    QSpinBox *m_code = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QLabel *m_reference = nullptr;
    QLabel *m_browserTitle = nullptr;
    QLabel *m_browser = nullptr;

    ProtocolExamples *m_examples = nullptr;
    QWidget *m_examplesBox = nullptr;
    QLabel *m_examplesTitle = nullptr;
    QLabel *m_examplesStatus = nullptr;
    QPushButton *m_readActive = nullptr; // "Read about Socket.IO": the note of what the connection speaks
    QVBoxLayout *m_cardsLayout = nullptr;
    QList<QWidget *> m_cards;
};
