#include "decode/jsonrpcdecoder.h"

#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(JsonRpcDecoder)
};

using namespace Decode;

} // namespace

Decoded JsonRpcDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Q_UNUSED(sender)
    Decoded d;
    d.protocol = Protocol::JsonRpc;
    if (binary) {
        d.error = Tr::tr("a binary message (%1): JSON-RPC messages are JSON text").arg(SizeFormat::bytes(quint64(payload.size())));
        return d;
    }
    QString why;
    const auto parsed = JsonRpc::parse(payload, &why);
    if (!parsed) {
        d.error = why;
        return d;
    }
    if (parsed->batch && parsed->messages.isEmpty()) {
        Unit u;
        u.type = QStringLiteral("batch");
        u.summary = Tr::tr("empty batch");
        u.error = parsed->problem;
        d.units << u;
        return d;
    }
    const qsizetype count = parsed->messages.size();
    for (qsizetype i = 0; i < count && i < MaxUnits; ++i) {
        Unit u = unit(parsed->messages[i]);
        if (parsed->batch)
            u.fields.prepend(Field(Tr::tr("(batch)"), Tr::tr("element %1 of %2").arg(i + 1).arg(count)));
        d.units << u;
    }
    if (count > MaxUnits) {
        Unit u;
        u.type = QStringLiteral("batch");
        u.summary = Tr::tr("%n more elements of the batch, not decoded", nullptr, int(count - MaxUnits));
        d.units << u;
    }
    return d;
}

Unit JsonRpcDecoder::unit(const JsonRpc::Message &m)
{
    using Kind = JsonRpc::Message::Kind;
    Unit u;
    u.type = JsonRpc::typeName(m.kind);
    u.summary = JsonRpc::summary(m);
    u.error = m.problem;
    if (m.version1)
        u.fields << Field(Tr::tr("(version)"), Tr::tr("JSON-RPC 1.0: no \"jsonrpc\" member"));
    if (m.members.isEmpty() && !m.text.isEmpty())
        u.fields << JsonValues::field(Tr::tr("(value)"), JsonValues::Value { JsonValues::kindOf(m.text), m.text });
    for (const JsonValues::Member &member : m.members) {
        // The id as its literal: "7" and 7 are different ids.
        if (member.name == QLatin1StringView("id"))
            u.fields << Field(member.name, QString::fromUtf8(member.value.text));
        else
            u.fields << JsonValues::field(member.name, member.value);
    }
    if (m.reservedMethod)
        u.fields << Field(Tr::tr("(note)"), Tr::tr("method names that begin with \"rpc.\" are reserved for rpc-internal methods and extensions"));
    if (m.kind == Kind::Error && m.code && !JsonRpc::errorName(*m.code).isEmpty())
        u.fields << Field(Tr::tr("(error code)"), Tr::tr("%1: %2").arg(*m.code).arg(JsonRpc::errorName(*m.code)));
    if (m.idUsable()) {
        const QByteArray key = JsonValues::key("id ", *m.id);
        if (m.kind == Kind::Call)
            u.correlations << Correlation { Correlation::Role::Request, key };
        else if (m.kind == Kind::Result || m.kind == Kind::Error)
            u.correlations << Correlation { Correlation::Role::Answer, key };
    }
    return u;
}

QList<ComposerTemplate> JsonRpcDecoder::templates()
{
    return {
        { Tr::tr("call"), JsonRpc::call(QStringLiteral("subtract"), "[42,23]", 1) },
        { Tr::tr("notification"), JsonRpc::notification(QStringLiteral("update"), "[1,2,3,4,5]") },
    };
}
