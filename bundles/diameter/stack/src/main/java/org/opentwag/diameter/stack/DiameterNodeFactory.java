package org.opentwag.diameter.stack;

/** OSGi service creating extra Diameter nodes (e.g. the embedded HSS simulator); the caller closes them. */
public interface DiameterNodeFactory {
    DiameterNode create(NodeConfig config);
}
