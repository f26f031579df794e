#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM into a Qt signal. The handler only writes the signal number into one end
// of a socket pair (async-signal-safe); a QSocketNotifier on the other end delivers it in the event
// loop, where it is safe to close connections and print.
class SignalNotifier : public QObject {
    Q_OBJECT
public:
    explicit SignalNotifier(QObject *parent = nullptr);
    ~SignalNotifier() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};
