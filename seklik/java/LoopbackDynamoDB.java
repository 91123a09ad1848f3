// DynamoDB Local bound to one address (127.0.0.1) instead of every interface.
//
// DynamoDB Local has no option for the address it listens on: its proxy server
// makes a Jetty server for a port alone, which binds 0.0.0.0. This launcher
// builds the server exactly as DynamoDB Local's own main does (the same
// command-line arguments), sets the address on its one connector before it
// starts, then runs it. Started by seklik/stack.py with
//   java -cp DynamoDBLocal.jar seklik/java/LoopbackDynamoDB.java -port N ...
// (Java 11+ runs a single source file without a build step).

import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDB {
    public static void main(String[] args) throws Exception {
        String host = System.getProperty("seklik.dynamodb.host", "127.0.0.1");
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        Connector[] connectors = server.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local made a server without a connector");
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost(host);
        }
        proxy.start();
        System.out.println("DynamoDB Local listening on " + host + " only");
        proxy.join();
    }
}
