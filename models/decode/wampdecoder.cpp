#include "decode/wampdecoder.h"

#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(WampDecoder)
};

using namespace Decode;
using Wamp::Type;

bool isGoodbyeAndOut(const Wamp::Message &m)
{
    // The spec's reply is wamp.close.goodbye_and_out; Autobahn|JS replies wamp.error.goodbye_and_out.
    const JsonValues::Value *reason = m.element(QLatin1StringView("Reason"));
    if (!reason || reason->kind != JsonValues::Kind::String)
        return false;
    const QString r = JsonValues::string(reason->text);
    return r == QLatin1StringView("wamp.close.goodbye_and_out") || r == QLatin1StringView("wamp.error.goodbye_and_out");
}

} // namespace

Decoded WampDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    d.protocol = Protocol::Wamp;
    if (binary) {
        d.error = Tr::tr("a binary message (%1): wamp.2.json messages are JSON text (binary is for wamp.2.msgpack and wamp.2.cbor)")
                      .arg(SizeFormat::bytes(quint64(payload.size())));
        return d;
    }
    QString why;
    const auto m = Wamp::parse(sender, payload, &why);
    if (!m) {
        d.error = why;
        return d;
    }
    d.units << unit(*m, sender);
    return d;
}

Unit WampDecoder::unit(const Wamp::Message &m, Sender sender)
{
    Unit u;
    const QString name = Wamp::typeName(m.code);
    u.type = !name.isEmpty() ? name : m.extension() ? QStringLiteral("extension") : QStringLiteral("unknown");
    u.summary = Wamp::summary(m);
    u.error = m.problem;
    if (!m.codeText.isEmpty())
        u.fields << Field(QStringLiteral("MessageType"), QString::fromUtf8(m.codeText));
    for (const Wamp::Element &e : m.elements)
        u.fields << JsonValues::field(e.name, e.value);

    const auto direction = Wamp::direction(m);
    if (!direction || (*direction != Wamp::Direction::Both && (*direction == Wamp::Direction::FromClient) != (sender == Sender::Client)))
        return u; // a message of the other role: nothing to pair
    auto add = [&u](Correlation::Role role, const QByteArray &key) { u.correlations << Correlation { role, key }; };
    const auto request = m.id(QLatin1StringView("Request"));
    const QByteArray key = request && *request > 0 ? "request " + QByteArray::number(*request) : QByteArray();
    switch (Type(m.code)) {
    case Type::Hello:
        add(Correlation::Role::Request, "session");
        break;
    case Type::Welcome:
        add(Correlation::Role::Answer, "session");
        break;
    case Type::Abort:
        if (sender == Sender::Server)
            add(Correlation::Role::Answer, "session");
        break;
    case Type::Challenge:
        add(Correlation::Role::Progress, "session");
        break;
    case Type::Goodbye:
        add(isGoodbyeAndOut(m) ? Correlation::Role::Answer : Correlation::Role::Request, "goodbye");
        break;
    case Type::Publish:
        if (!key.isEmpty() && m.flag(QLatin1StringView("acknowledge")))
            add(Correlation::Role::Request, key);
        break;
    case Type::Subscribe:
    case Type::Unsubscribe:
    case Type::Call:
    case Type::Register:
    case Type::Unregister:
    case Type::Invocation:
        if (!key.isEmpty())
            add(Correlation::Role::Request, key);
        break;
    case Type::Error:
    case Type::Published:
    case Type::Subscribed:
    case Type::Unsubscribed:
    case Type::Registered:
    case Type::Unregistered:
        if (!key.isEmpty())
            add(Correlation::Role::Answer, key);
        break;
    case Type::Result:
    case Type::Yield:
        if (!key.isEmpty())
            add(m.flag(QLatin1StringView("progress")) ? Correlation::Role::Progress : Correlation::Role::Answer, key);
        break;
    case Type::Cancel:
    case Type::Interrupt:
        // The caller's next step of its CALL, the router's of its INVOCATION.
        if (!key.isEmpty())
            add(Correlation::Role::Continue, key);
        break;
    case Type::Authenticate:
    case Type::Event:
        break;
    }
    return u;
}

QList<ComposerTemplate> WampDecoder::templates()
{
    // As Autobahn|JS writes them (its HELLO announces more features per role).
    return {
        { Tr::tr("HELLO"), QByteArrayLiteral(R"([1,"realm1",{"roles":{"caller":{},"callee":{},"publisher":{},"subscriber":{}}}])") },
        { Tr::tr("CALL"), QByteArrayLiteral(R"([48,1,{},"com.myapp.add2",[2,3]])") },
        { Tr::tr("SUBSCRIBE"), QByteArrayLiteral(R"([32,2,{},"com.myapp.topic1"])") },
        { Tr::tr("PUBLISH"), QByteArrayLiteral(R"([16,3,{"acknowledge":true},"com.myapp.topic1",["Hello, world!"]])") },
        { Tr::tr("GOODBYE"), QByteArrayLiteral(R"([6,{},"wamp.close.normal"])") },
    };
}
