#pragma once

// The sessions in tests/decode/captured/<protocol>.jsonl (recorded by peers/capture_sessions.js from
// the real client libraries and servers): a header line, then one line per WebSocket message,
// {"sender": "client"|"server", "binary": bool, "hex": "..."}.

#include "decode/decoded.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

struct CapturedMessage {
    Decode::Sender sender = Decode::Sender::Client;
    bool binary = false;
    QByteArray payload;
};

inline QList<CapturedMessage> readCapture(const QString &protocol)
{
    QFile file(QStringLiteral(WSI_TEST_DATA "/decode/captured/%1.jsonl").arg(protocol));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<CapturedMessage> out;
    file.readLine(); // the header
    while (!file.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        out << CapturedMessage { o.value(QStringLiteral("sender")).toString() == QStringLiteral("server") ? Decode::Sender::Server
                                                                                                         : Decode::Sender::Client,
                                 o.value(QStringLiteral("binary")).toBool(),
                                 QByteArray::fromHex(o.value(QStringLiteral("hex")).toString().toLatin1()) };
    }
    return out;
}

// Pairs correlations as the log does (models/log/protocoldecoding.cpp): a Request waits for the other
// sender's Answer (which ends it) or Progress, a Continue is the asker's own next step. Returns the
// correlations that found no request waiting, as "C answer id 7".
class PairingCheck {
public:
    QStringList unmatched;

    void add(Decode::Sender sender, const Decode::Decoded &decoded)
    {
        using Decode::Correlation;
        const int asker = sender == Decode::Sender::Client ? 0 : 1;
        for (const Correlation &c : decoded.correlations()) {
            if (c.role == Correlation::Role::Request) {
                ++m_waiting[asker][c.key];
                continue;
            }
            const int requester = c.role == Correlation::Role::Continue ? asker : 1 - asker;
            if (m_waiting[requester].value(c.key) <= 0) {
                unmatched << QStringLiteral("%1 %2 %3")
                                 .arg(asker == 0 ? QLatin1Char('C') : QLatin1Char('S'))
                                 .arg(c.role == Correlation::Role::Answer ? QStringLiteral("answer")
                                          : c.role == Correlation::Role::Progress ? QStringLiteral("progress")
                                                                                  : QStringLiteral("continue"),
                                      QString::fromUtf8(c.key));
                continue;
            }
            if (c.role == Correlation::Role::Answer)
                --m_waiting[requester][c.key];
        }
    }
    // Requests still waiting at the end.
    int open() const
    {
        int n = 0;
        for (const auto &side : m_waiting)
            for (const int count : side)
                n += count;
        return n;
    }

private:
    QHash<QByteArray, int> m_waiting[2];
};
