#pragma once

#include "teach/handshakewalkthrough.h"

#include <QByteArray>
#include <QList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QVBoxLayout;
class QToolButton;

// The opening handshake of the selected connection as step cards a newcomer follows with Next and
// Back (client request -> each header -> the accept computation -> 101 or what came instead ->
// frames from here on). Each card names the bytes it is about; showing a card, or clicking one of
// its byte links, emits highlightRequested() so the window can select those bytes in the
// handshake pane. "Learn more" buttons emit topicRequested() with a Glossary topic id.
// Everything from the peer is shown as plain text.
class HandshakeWalkthroughView : public QWidget {
    Q_OBJECT
public:
    explicit HandshakeWalkthroughView(QWidget *parent = nullptr);

    // Either may be empty (no request recorded, no response received). Starts at the first step.
    void setHandshake(const QByteArray &request, const QByteArray &response,
        HandshakeWalkthrough::Transport transport = HandshakeWalkthrough::Transport::Unknown);
    void clear();

    const HandshakeWalkthrough &walkthrough() const { return m_walkthrough; }
    int stepCount() const { return int(m_walkthrough.steps().size()); }
    int currentStep() const { return m_current; } // -1 when there is nothing to show
    // Shows step `index` and emits currentStepChanged() and, when the step names bytes,
    // highlightRequested() for the first of them. Out-of-range indexes are ignored.
    void setCurrentStep(int index);
    void next();
    void back();

    // What the card shows, for tests and accessibility.
    QString titleText() const;
    QString explanationText() const;
    QString detailsText() const;
    QString browserText() const;
    QList<QToolButton *> spanButtons() const { return m_spanButtons; }
    QList<QToolButton *> topicButtons() const { return m_topicButtons; }

Q_SIGNALS:
    void highlightRequested(bool inResponse, qsizetype offset, qsizetype length);
    void topicRequested(const QString &topicId);
    void currentStepChanged(int index);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuildList();
    void showStep();
    void applyColors();
    void clearLinks();

    HandshakeWalkthrough m_walkthrough;
    int m_current = -1;

    QList<QLabel *> m_stageLabels;
    QListWidget *m_list = nullptr;
    QLabel *m_position = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_detailsTitle = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_browserTitle = nullptr;
    QLabel *m_browser = nullptr;
    QLabel *m_bytesTitle = nullptr;
    QVBoxLayout *m_bytesLayout = nullptr;
    QLabel *m_topicsTitle = nullptr;
    QVBoxLayout *m_topicsLayout = nullptr;
    QList<QToolButton *> m_spanButtons;
    QList<QToolButton *> m_topicButtons;
    QPushButton *m_back = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_counter = nullptr;
};
