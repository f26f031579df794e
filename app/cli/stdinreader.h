#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

// Reads standard input without blocking the event loop and hands it over line by line (the line
// end, "\n" or "\r\n", removed). At end of input a last unterminated line is delivered too, then
// finished().
class StdinReader : public QObject {
    Q_OBJECT
public:
    explicit StdinReader(QObject *parent = nullptr);
    void start();
    void stop();

Q_SIGNALS:
    void lineRead(const QByteArray &line);
    void finished();

private:
    void readAvailable();
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_pending;
    bool m_done = false;
};
