#include "net/clientengine.h"

#include "net/clientconnection.h"
#include "net/qtclientconnection.h"

QString ClientEngine::engineKey(ConnectionOptions::Engine engine)
{
    return engine == ConnectionOptions::Engine::Qt ? QStringLiteral("qt") : QStringLiteral("inspector");
}

std::optional<ConnectionOptions::Engine> ClientEngine::engineFromKey(QStringView key)
{
    if (key == QLatin1String("inspector"))
        return ConnectionOptions::Engine::Inspector;
    if (key == QLatin1String("qt"))
        return ConnectionOptions::Engine::Qt;
    return std::nullopt;
}

ClientEngine *ClientEngine::create(ConnectionOptions::Engine engine, quint32 connectionId, QObject *parent)
{
    if (engine == ConnectionOptions::Engine::Qt)
        return new QtClientConnection(connectionId, parent);
    return new ClientConnection(connectionId, parent);
}
