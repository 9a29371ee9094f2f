package vn.quangninh.cphub.cctv;

import java.util.UUID;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Frigate as the tests play it: messages published (QoS 1) on the machine's Mosquitto, 127.0.0.1:1883. */
public final class Frigate {

    private Frigate() {
    }

    public static void publish(String topic, byte[] message) throws MqttException {
        MqttClient mqtt = new MqttClient("tcp://127.0.0.1:1883", "cphub-test-frigate-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            mqtt.connect();
            mqtt.publish(topic, message, 1, false);
            mqtt.disconnect();
        } finally {
            mqtt.close();
        }
    }
}
