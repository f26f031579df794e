#pragma once

#include "decode/socketioclient.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;

// The connection bar's Socket.IO row: the namespace to join, the connect packet's auth object, and
// whether Engine.IO pings are answered (off: watch the server drop a silent client).
class SocketIoOptionsRow : public QWidget {
    Q_OBJECT
public:
    explicit SocketIoOptionsRow(QWidget *parent = nullptr);

    SocketIoClient::Options options() const;
    void setOptions(const SocketIoClient::Options &options);
    // What is wrong with the fields ("the namespace must start with /"); empty when nothing.
    QString problem() const;

Q_SIGNALS:
    void changed();

private:
    QLineEdit *m_namespace;
    QLineEdit *m_auth;
    QCheckBox *m_answerPings;
};
