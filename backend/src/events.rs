//! In-process publish/subscribe of shop-floor events: station reports, machine states and order
//! changes reach the scheduler (auto-replan) and the live screens without polling the database.
//! Publish after the change has committed; a subscriber that falls behind skips the oldest.

use mes_api_types::events::ShopEvent;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<ShopEvent>,
}

impl EventBus {
    pub fn new() -> EventBus {
        let (sender, _) = broadcast::channel(1024);
        EventBus { sender }
    }

    /// Sends to every current subscriber; none listening is fine.
    pub fn publish(&self, event: ShopEvent) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ShopEvent> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}
