package org.opentwag.diameter.stack.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.MessageCountKey;
import org.opentwag.diameter.stack.MessageListener;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.OverloadAbatedKey;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.Registration;
import org.opentwag.diameter.stack.RequestHandler;
import org.opentwag.diameter.stack.RequestOptions;

/** A DiameterNode that delegates to another: the base of the DS components that own a node. */
public class ForwardingDiameterNode implements DiameterNode {
    private final DiameterNode delegate;

    public ForwardingDiameterNode(DiameterNode delegate) {
        this.delegate = delegate;
    }

    @Override public NodeConfig config() { return delegate.config(); }
    @Override public String originHost() { return delegate.originHost(); }
    @Override public String originRealm() { return delegate.originRealm(); }
    @Override public String newSessionId() { return delegate.newSessionId(); }
    @Override public CompletionStage<DiameterMessage> send(DiameterMessage request, RequestOptions options) { return delegate.send(request, options); }
    @Override public Registration registerRequestHandler(long applicationId, int commandCode, RequestHandler handler) {
        return delegate.registerRequestHandler(applicationId, commandCode, handler);
    }
    @Override public List<PeerInfo> peers() { return delegate.peers(); }
    @Override public Optional<PeerInfo> peer(String host) { return delegate.peer(host); }
    @Override public Map<MessageCountKey, Long> messageCounts() { return delegate.messageCounts(); }
    @Override public List<PeerConfig> peerConfigs() { return delegate.peerConfigs(); }
    @Override public Map<String, Long> tlsRefusals() { return delegate.tlsRefusals(); }
    @Override public Map<OverloadAbatedKey, Long> overloadAbated() { return delegate.overloadAbated(); }
    @Override public List<org.opentwag.diameter.stack.PeerTraffic> peerTraffic() { return delegate.peerTraffic(); }
    @Override public Registration addMessageListener(MessageListener listener) { return delegate.addMessageListener(listener); }
    @Override public void addPeer(PeerConfig peer) { delegate.addPeer(peer); }
    @Override public boolean removePeer(String host) { return delegate.removePeer(host); }
    @Override public Optional<InetSocketAddress> listenAddress() { return delegate.listenAddress(); }
    @Override public Optional<InetSocketAddress> tlsListenAddress() { return delegate.tlsListenAddress(); }
    @Override public void close() { delegate.close(); }
}
