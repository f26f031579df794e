#pragma once

#include "teach/glossary.h"

#include <QString>
#include <QWidget>

class QLabel;
class QListWidget;
class QSpinBox;

// A side panel of short explanations (Glossary) for someone learning WebSockets: a topic list
// (browser API, handshake, frames, closing, close codes) and the selected topic's text, the RFC
// section it comes from and what a browser script writes or sees. Any close code can be looked up,
// not just the listed ones. Plain text only.
class LearnPanel : public QWidget {
    Q_OBJECT
public:
    explicit LearnPanel(QWidget *parent = nullptr);

    // Shows the topic; false (and nothing changes) for an unknown id. "close-N" works for any code.
    bool setTopic(const QString &id);
    QString currentTopic() const { return m_current.id; }
    const GlossaryEntry &currentEntry() const { return m_current; }

    // What the panel shows, for tests and accessibility.
    QString titleText() const;
    QString bodyText() const;
    QString referenceText() const; // "RFC 6455 §7.4.1"
    QString browserText() const; // the one-liner, without its caption
    QListWidget *topicList() const { return m_list; }
    QSpinBox *closeCodeBox() const { return m_code; }

Q_SIGNALS:
    void topicChanged(const QString &id);

private:
    void showEntry(const GlossaryEntry &entry);

    GlossaryEntry m_current;
    QListWidget *m_list = nullptr;
    QSpinBox *m_code = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QLabel *m_reference = nullptr;
    QLabel *m_browserTitle = nullptr;
    QLabel *m_browser = nullptr;
};
