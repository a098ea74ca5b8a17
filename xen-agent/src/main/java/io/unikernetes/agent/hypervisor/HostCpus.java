package io.unikernetes.agent.hypervisor;

import io.unikernetes.agent.domain.CpuSet;
import java.io.StringReader;
import java.util.BitSet;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The numbers of a host's online CPUs, as libvirt's capabilities XML lists them under
 * {@code host/topology/cells/cell/cpus/cpu/@id}: not always 0 to N - 1 (offline CPUs, SMT turned off). Pure.
 */
public final class HostCpus {

  private static final XMLInputFactory XML_INPUT = XMLInputFactory.newFactory();

  private HostCpus() {
  }

  /**
   * @param capabilities libvirt's capabilities XML (virConnectGetCapabilities)
   * @param activeCpus libvirt's count of active CPUs (virNodeGetInfo), at least 1: CPUs 0 to this - 1 when the
   *     capabilities list no topology (some drivers do not)
   */
  public static CpuSet of(String capabilities, int activeCpus) {
    BitSet ids = new BitSet();
    try {
      XMLStreamReader reader = XML_INPUT.createXMLStreamReader(new StringReader(capabilities));
      try {
        boolean inTopology = false;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.START_ELEMENT && reader.getLocalName().equals("topology")) {
            inTopology = true;
          } else if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("topology")) {
            inTopology = false;
          } else if (event == XMLStreamConstants.START_ELEMENT && inTopology && reader.getLocalName().equals("cpu")) {
            String id = reader.getAttributeValue(null, "id");
            if (id != null && id.matches("\\d{1,5}")) {
              ids.set(Integer.parseInt(id));
            }
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      ids.clear(); // unreadable: fall back to the count
    }
    if (ids.isEmpty()) {
      ids.set(0, Math.max(1, activeCpus));
    }
    return new CpuSet(ids);
  }
}
